//! A write a rule may refuse, in a transaction of its own (the command line, a benchmark): see
//! `domain::refusal`. The chat's turn has `Turn::attempt_or_refuse` for the same job inside its transaction.

use super::Store;
use rusqlite::Transaction;

impl Store {
    /// Like [`Store::write`], for a change a rule may refuse: a refusal (the inner `Err`) rolls back everything
    /// written so far, just as a fault does, and reaches the caller as it is; only a change that went through is
    /// committed. Built on `write` alone, so it keeps whatever that promises (one immediate transaction).
    pub fn write_or_refuse<T, R>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> anyhow::Result<Result<T, R>>,
    ) -> anyhow::Result<Result<T, R>> {
        let mut refusal = None;
        let written = self.write(|tx| match f(tx)? {
            Ok(value) => Ok(Some(value)),
            Err(refused) => {
                refusal = Some(refused);
                // An error makes `write` roll the transaction back; the refusal itself goes out below.
                Err(anyhow::anyhow!("a refused change, rolled back"))
            }
        });
        if let Some(refused) = refusal {
            return Ok(Err(refused));
        }
        match written? {
            Some(value) => Ok(Ok(value)),
            None => Err(anyhow::anyhow!("a write that neither went through nor was refused")),
        }
    }
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
}
