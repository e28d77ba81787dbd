//! Sign-in sessions and server settings.

use stint_model::Instant;
use uuid::Uuid;

use super::{Shared, World, assert_not_found, at, ok};
use crate::{Rotated, Session};

/// The grace the cases give a rotated-out hash (the server's is its own).
const GRACE: chrono::Duration = chrono::Duration::seconds(60);

/// Rotates `id` at `now`, the previous hash good for [`GRACE`].
async fn rotate(store: &Shared, id: Uuid, presented: &str, new: &str, now: Instant) -> Rotated {
    let expires = now + chrono::Duration::days(30);
    ok(store
        .rotate_session(id, presented, new, now, now - GRACE, expires)
        .await)
}

/// A fresh session of Omar's with refresh hash `hash`.
async fn signed_in(store: &Shared, w: &World, hash: &str) -> Session {
    let s = Session {
        id: Uuid::now_v7(),
        user_id: w.omar.id,
        refresh_hash: hash.into(),
        previous_hash: None,
        rotated_at: None,
        expires_at: at(7, 9, 0),
        revoked: false,
    };
    ok(store.create_session(s.clone()).await);
    s
}

/// Omar signs in; his refresh token rotates once per use, the replaced one
/// kept as the previous. Ten refreshes with the current token at once: one
/// wins. A revoked session never rotates again.
pub async fn sessions_rotate_once_and_revoke(store: Shared) {
    let w = World::new(&*store).await;
    let s = signed_in(&store, &w, "h1").await;
    assert_eq!(ok(store.session(s.id).await), s);
    assert_not_found(store.session(Uuid::now_v7()).await);

    let t = at(1, 9, 0);
    let later: Instant = at(8, 9, 0);
    assert_eq!(
        ok(store
            .rotate_session(s.id, "h1", "h2", t, t - GRACE, later)
            .await),
        Rotated::Current
    );
    let rotated = ok(store.session(s.id).await);
    assert_eq!(
        rotated,
        Session {
            refresh_hash: "h2".into(),
            previous_hash: Some("h1".into()),
            rotated_at: Some(t),
            expires_at: later,
            ..s.clone()
        }
    );
    assert_eq!(
        rotate(&store, s.id, "nope", "h3", t).await,
        Rotated::Refused
    );
    assert_eq!(
        ok(store.session(s.id).await),
        rotated,
        "a refusal changes nothing"
    );

    // Without a grace (it would begin after now), ten refreshes with the
    // current hash at once: one wins.
    let no_grace = t + chrono::Duration::milliseconds(1);
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let new = format!("h3-{i}");
                store
                    .rotate_session(s.id, "h2", &new, t, no_grace, later)
                    .await
            })
        })
        .collect();
    let mut wins = 0;
    for task in tasks {
        match ok(task.await.expect("task panicked")) {
            Rotated::Current => wins += 1,
            Rotated::Refused => {}
            Rotated::Previous => panic!("a previous hash was taken outside its grace"),
        }
    }
    assert_eq!(wins, 1, "one refresh wins the race");
    let now = ok(store.session(s.id).await);
    assert!(now.refresh_hash.starts_with("h3-"), "{now:?}");
    assert_eq!(now.previous_hash.as_deref(), Some("h2"));

    ok(store.revoke_session(s.id).await);
    let revoked = ok(store.session(s.id).await);
    assert!(revoked.revoked);
    assert_eq!(
        rotate(&store, s.id, &now.refresh_hash, "h4", t).await,
        Rotated::Refused
    );
    assert_eq!(rotate(&store, s.id, "h2", "h4", t).await, Rotated::Refused);
    assert_not_found(store.revoke_session(Uuid::now_v7()).await);
    assert_not_found(
        store
            .rotate_session(Uuid::now_v7(), "h1", "h2", t, t - GRACE, later)
            .await,
    );
}

/// Omar's agent refreshes but never hears the answer (h2), and retries with
/// h1: taken once, inside the grace, and h2 is forgotten. A second retry,
/// the lost answer's hash, a hash older than the previous one, or the
/// previous one after its grace: refused, changing nothing.
pub async fn a_lost_refresh_is_taken_once_inside_its_grace(store: Shared) {
    let w = World::new(&*store).await;
    let s = signed_in(&store, &w, "h1").await;
    let t = at(1, 9, 0);
    assert_eq!(rotate(&store, s.id, "h1", "h2", t).await, Rotated::Current);

    let retry = t + chrono::Duration::seconds(30);
    assert_eq!(
        rotate(&store, s.id, "h1", "h3", retry).await,
        Rotated::Previous
    );
    let taken = ok(store.session(s.id).await);
    assert_eq!(
        (taken.refresh_hash.as_str(), taken.previous_hash.as_deref()),
        ("h3", None),
        "{taken:?}"
    );
    assert_eq!(taken.rotated_at, Some(retry));
    assert_eq!(taken.expires_at, retry + chrono::Duration::days(30));
    for (presented, why) in [("h1", "a second retry"), ("h2", "the lost answer's hash")] {
        assert_eq!(
            rotate(&store, s.id, presented, "x", retry).await,
            Rotated::Refused,
            "{why}"
        );
        assert_eq!(
            ok(store.session(s.id).await),
            taken,
            "{why} changed the session"
        );
    }

    // The agent carries on with h3; h1 is now older than the previous (h3).
    let next = retry + chrono::Duration::seconds(10);
    assert_eq!(
        rotate(&store, s.id, "h3", "h4", next).await,
        Rotated::Current
    );
    assert_eq!(
        rotate(&store, s.id, "h1", "x", next).await,
        Rotated::Refused
    );

    // The grace includes its last millisecond and ends after it.
    let edge = ok(store.session(s.id).await);
    let grace_since = next;
    assert_eq!(
        ok(store
            .rotate_session(
                s.id,
                "h3",
                "x",
                next + GRACE,
                grace_since + chrono::Duration::milliseconds(1),
                at(9, 9, 0)
            )
            .await),
        Rotated::Refused,
        "after the grace"
    );
    assert_eq!(ok(store.session(s.id).await), edge);
    assert_eq!(
        ok(store
            .rotate_session(s.id, "h3", "h5", next + GRACE, grace_since, at(9, 9, 0))
            .await),
        Rotated::Previous,
        "on the grace's last millisecond"
    );
    assert_eq!(ok(store.session(s.id).await).refresh_hash, "h5");
}

/// The retry after a lost answer reaches two replicas at once (ten here),
/// each presenting the previous hash: exactly one wins, and the session is
/// left on its hash. Ten presenting the current hash inside the grace: the
/// first wins as current, the next as the retry of a lost answer, no more.
pub async fn a_retried_refresh_wins_once_across_replicas(store: Shared) {
    let w = World::new(&*store).await;
    let t = at(1, 9, 0);
    let race = |id: Uuid, presented: &'static str| {
        let store = store.clone();
        async move {
            let tasks: Vec<_> = (0..10)
                .map(|i| {
                    let store = store.clone();
                    tokio::spawn(async move {
                        let new = format!("{presented}-{i}");
                        let r = rotate(&store, id, presented, &new, t).await;
                        (r, new)
                    })
                })
                .collect();
            let mut wins = Vec::new();
            for task in tasks {
                let (r, new) = task.await.expect("task panicked");
                if r != Rotated::Refused {
                    wins.push((r, new));
                }
            }
            wins.sort_by_key(|w| w.0 == Rotated::Previous);
            wins
        }
    };

    let s = signed_in(&store, &w, "a").await;
    assert_eq!(rotate(&store, s.id, "a", "b", t).await, Rotated::Current);
    let wins = race(s.id, "a").await;
    assert_eq!(wins.len(), 1, "one retry wins: {wins:?}");
    assert_eq!(wins[0].0, Rotated::Previous);
    let after = ok(store.session(s.id).await);
    assert_eq!(
        (after.refresh_hash.as_str(), after.previous_hash),
        (wins[0].1.as_str(), None)
    );

    let s = signed_in(&store, &w, "a").await;
    let wins = race(s.id, "a").await;
    let kinds: Vec<Rotated> = wins.iter().map(|w| w.0).collect();
    assert_eq!(kinds, [Rotated::Current, Rotated::Previous], "{wins:?}");
    let after = ok(store.session(s.id).await);
    assert_eq!(
        (after.refresh_hash.as_str(), after.previous_hash),
        (wins[1].1.as_str(), None),
        "the retry's hash is current, the first answer's is forgotten"
    );
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

/// `session_user`, the check behind every signed-in request: the user of a
/// live session of theirs, in their organization; NotFound for a revoked
/// session, another user's session, another organization or no session.
pub async fn session_user_is_the_live_sessions_user(store: Shared) {
    let w = World::new(&*store).await;
    let s = signed_in(&store, &w, "h1").await;
    let (acme, omar) = (w.acme.id, w.omar.id);
    assert_eq!(ok(store.session_user(s.id, acme, omar).await), w.omar);
    assert_not_found(store.session_user(s.id, acme, w.jane.id).await);
    assert_not_found(store.session_user(s.id, w.globex.id, omar).await);
    assert_not_found(store.session_user(Uuid::now_v7(), acme, omar).await);
    ok(store.revoke_session(s.id).await);
    assert_not_found(store.session_user(s.id, acme, omar).await);
}
