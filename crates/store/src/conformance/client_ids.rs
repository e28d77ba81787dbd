//! Client ids belong to whoever first used them (`Store::claim_ids`).

use uuid::Uuid;

use super::{Shared, World, at, log_of, ok};
use crate::IdKind;

/// The first claimer owns an id for good: a colleague's claim of it is
/// answered with the id, the owner's own replay is not; kinds and
/// organizations are separate namespaces; a deleted log's id stays taken.
pub async fn client_ids_belong_to_their_first_user(store: Shared) {
    let w = World::new(&*store).await;
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let claim = |owner: Uuid, kind: IdKind, ids: Vec<Uuid>| {
        let store = store.clone();
        let org = w.acme.id;
        async move { ok(store.claim_ids(org, kind, owner, &ids).await) }
    };
    assert!(
        claim(w.omar.id, IdKind::Log, vec![a, b, a])
            .await
            .is_empty()
    );
    assert!(claim(w.omar.id, IdKind::Log, vec![a, b]).await.is_empty());
    assert_eq!(claim(w.jane.id, IdKind::Log, vec![b]).await, vec![b]);
    let fresh = Uuid::now_v7();
    assert_eq!(
        claim(w.jane.id, IdKind::Log, vec![fresh, a]).await,
        vec![a],
        "only the taken id is named; the fresh one is now Jane's"
    );
    assert_eq!(
        claim(w.omar.id, IdKind::Log, vec![fresh]).await,
        vec![fresh]
    );
    assert!(
        claim(w.jane.id, IdKind::Screenshot, vec![a])
            .await
            .is_empty()
    );
    let other_org = ok(store
        .claim_ids(w.globex.id, IdKind::Log, w.eve.id, &[a])
        .await);
    assert!(
        other_org.is_empty(),
        "another organization's ids are unknown here"
    );
    assert!(claim(w.omar.id, IdKind::Log, vec![]).await.is_empty());

    // Ids of logs stored before the claim (and deleted since) stay the owner's
    // once claimed; the server claims before every insert.
    let log = log_of(&w.omar, None, at(0, 9, 0), Some(at(0, 10, 0)));
    assert!(claim(w.omar.id, IdKind::Log, vec![log.id]).await.is_empty());
    ok(store.insert_log(log.clone(), None).await);
    ok(store.delete_log(w.acme.id, log.id).await);
    assert_eq!(
        claim(w.jane.id, IdKind::Log, vec![log.id]).await,
        vec![log.id]
    );
}

/// Of many people claiming one new id at once, exactly one gets it.
pub async fn concurrent_claims_of_one_id_have_one_winner(store: Shared) {
    let w = World::new(&*store).await;
    let id = Uuid::now_v7();
    let people = [w.omar.id, w.jane.id, w.lena.id];
    let mut tasks = Vec::new();
    for _ in 0..4 {
        for p in people {
            let store = store.clone();
            let org = w.acme.id;
            tasks.push(tokio::spawn(async move {
                (p, ok(store.claim_ids(org, IdKind::Slot, p, &[id]).await))
            }));
        }
    }
    let mut winners = std::collections::HashSet::new();
    for t in tasks {
        let (p, taken) = t.await.expect("the task ran");
        if taken.is_empty() {
            winners.insert(p);
        }
    }
    assert_eq!(
        winners.len(),
        1,
        "exactly one person owns the id: {winners:?}"
    );
}
