//! A write a rule may refuse (see `domain::refusal`): in a transaction of its own (the command line, a
//! benchmark) with `Store::write_or_refuse`, or inside a transaction already open (the chat's turn, through
//! `Turn::attempt_or_refuse`) with `in_savepoint`.

use super::Store;
use rusqlite::Transaction;

impl Store {
    /// Like [`Store::write`], for a change a rule may refuse: a refusal (the inner `Err`) rolls back everything
    /// written so far, just as a fault does, and reaches the caller as it is; only a change that went through is
    /// committed. One `write` (one immediate transaction) around [`in_savepoint`].
    pub fn write_or_refuse<T, R>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> anyhow::Result<Result<T, R>>,
    ) -> anyhow::Result<Result<T, R>> {
        // A refusal rolls its savepoint back, so what `write` then commits is nothing.
        self.write(|tx| in_savepoint(tx, f))
    }
}

/// Runs `f` inside `tx` in an SQLite savepoint: a refusal (`Ok(Err(..))`) undoes the savepoint's writes just as
/// a fault (`Err`) does, and both reach the caller as they are; the rest of the transaction is untouched. If even
/// the undo fails, that is a fault (and the caller's whole transaction rolls back).
pub fn in_savepoint<T, R>(
    tx: &Transaction<'_>,
    f: impl FnOnce(&Transaction<'_>) -> anyhow::Result<Result<T, R>>,
) -> anyhow::Result<Result<T, R>> {
    tx.execute_batch("SAVEPOINT attempt")?;
    let outcome = f(tx);
    if matches!(outcome, Ok(Ok(_))) {
        tx.execute_batch("RELEASE attempt")?;
        return outcome;
    }
    if let Err(undo) = tx.execute_batch("ROLLBACK TO attempt; RELEASE attempt") {
        let cause = match outcome {
            Err(e) => e,
            Ok(_) => anyhow::anyhow!("a refused change"),
        };
        return Err(cause.context(format!("cannot undo a refused or failed change: {undo}")));
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(store: &Store) -> i64 {
        store.read(|c| Ok(c.query_row("SELECT count(*) FROM probe", [], |r| r.get(0))?)).unwrap()
    }

    #[test]
    fn a_refusal_writes_nothing_and_a_success_commits() {
        let store = Store::open_in_memory().unwrap();
        store.write(|tx| Ok(tx.execute_batch("CREATE TABLE probe (x INTEGER)")?)).unwrap();
        let insert = |tx: &Transaction<'_>| -> anyhow::Result<()> {
            tx.execute("INSERT INTO probe (x) VALUES (1)", [])?;
            Ok(())
        };
        let refused: Result<(), &str> = store
            .write_or_refuse(|tx| {
                insert(tx)?;
                Ok(Err("no"))
            })
            .unwrap();
        assert_eq!(refused, Err("no"));
        assert_eq!(count(&store), 0, "the refused change was rolled back");
        store.write_or_refuse(|tx| insert(tx).map(Ok::<(), &str>)).unwrap().unwrap();
        assert_eq!(count(&store), 1);
        assert!(store.write_or_refuse(|_| Err::<Result<(), &str>, _>(anyhow::anyhow!("fault"))).is_err());
    }

    #[test]
    fn a_refused_savepoint_keeps_the_rest_of_the_transaction() {
        let store = Store::open_in_memory().unwrap();
        store.write(|tx| Ok(tx.execute_batch("CREATE TABLE probe (x INTEGER)")?)).unwrap();
        store
            .write(|tx| {
                tx.execute("INSERT INTO probe (x) VALUES (1)", [])?;
                let refused: Result<(), &str> = in_savepoint(tx, |tx| {
                    tx.execute("INSERT INTO probe (x) VALUES (2)", [])?;
                    Ok(Err("no"))
                })?;
                assert_eq!(refused, Err("no"));
                assert!(
                    in_savepoint(tx, |tx| -> anyhow::Result<Result<(), &str>> {
                        tx.execute("INSERT INTO probe (x) VALUES (3)", [])?;
                        anyhow::bail!("fault")
                    })
                    .is_err()
                );
                in_savepoint(tx, |tx| Ok(Ok::<_, &str>(tx.execute("INSERT INTO probe (x) VALUES (4)", [])?)))?.unwrap();
                Ok(())
            })
            .unwrap();
        let xs: Vec<i64> = store
            .read(|c| {
                let mut stmt = c.prepare("SELECT x FROM probe ORDER BY x")?;
                let rows = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
                Ok(rows)
            })
            .unwrap();
        assert_eq!(xs, vec![1, 4], "the refused and the failed savepoints left nothing, the rest stayed");
    }

    #[test]
    fn row_ids_go_in_and_out_of_sql_as_integers() {
        use crate::domain::ids::CaseId;
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let back: CaseId = conn.query_row("SELECT ?1 + 1", [CaseId(41)], |r| r.get(0)).unwrap();
        assert_eq!(back, CaseId(42));
    }
}
