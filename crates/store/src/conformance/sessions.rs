//! Sign-in sessions and server settings.

use stint_model::Instant;
use uuid::Uuid;

use super::{Shared, World, assert_not_found, at, ok};
use crate::Session;

/// Omar signs in; his refresh token rotates once per use. A replayed old
/// token loses the compare-and-swap (even when ten arrive at once), and a
/// revoked session never rotates again.
pub async fn sessions_rotate_once_and_revoke(store: Shared) {
    let w = World::new(&*store).await;
    let s = Session {
        id: Uuid::now_v7(),
        user_id: w.omar.id,
        refresh_hash: "h1".into(),
        expires_at: at(7, 9, 0),
        revoked: false,
    };
    ok(store.create_session(s.clone()).await);
    assert_eq!(ok(store.session(s.id).await), s);
    assert_not_found(store.session(Uuid::now_v7()).await);

    let later: Instant = at(8, 9, 0);
    assert!(ok(store.rotate_session(s.id, "h1", "h2", later).await));
    assert!(!ok(store.rotate_session(s.id, "h1", "h3", later).await));
    let rotated = ok(store.session(s.id).await);
    assert_eq!(
        (rotated.refresh_hash.as_str(), rotated.expires_at),
        ("h2", later)
    );

    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let new = format!("h3-{i}");
                store.rotate_session(s.id, "h2", &new, later).await
            })
        })
        .collect();
    let mut wins = 0;
    for t in tasks {
        wins += usize::from(ok(t.await.expect("task panicked")));
    }
    assert_eq!(wins, 1, "one refresh wins the race");
    let current = ok(store.session(s.id).await).refresh_hash;
    assert!(current.starts_with("h3-"));

    ok(store.revoke_session(s.id).await);
    let revoked = ok(store.session(s.id).await);
    assert!(revoked.revoked);
    assert!(!ok(store.rotate_session(s.id, &current, "h4", later).await));
    assert_not_found(store.revoke_session(Uuid::now_v7()).await);
}

/// Two replicas start together and each proposes a signing secret: both
/// end up with the first one stored.
pub async fn first_setting_writer_wins(store: Shared) {
    assert_eq!(ok(store.setting_or_init("jwt_secret", "a").await), "a");
    assert_eq!(ok(store.setting_or_init("jwt_secret", "b").await), "a");
    assert_eq!(ok(store.setting_or_init("other", "c").await), "c");

    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move { store.setting_or_init("race", &format!("v{i}")).await })
        })
        .collect();
    let mut seen = Vec::new();
    for t in tasks {
        seen.push(ok(t.await.expect("task panicked")));
    }
    assert!(
        seen.iter().all(|v| *v == seen[0]),
        "replicas disagree: {seen:?}"
    );
    assert_eq!(ok(store.setting_or_init("race", "late").await), seen[0]);
}
