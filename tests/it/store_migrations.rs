//! The database: migrations from empty and on an existing file, pragmas, permissions, append-only audit.

use dulae::store::{self, Store};

#[test]
fn migrates_an_empty_database_and_reopens_an_existing_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    {
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), store::latest_schema_version());
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO classes (name, level, grade, room, created_at) VALUES ('ป.4/1', 'ป.', 4, 1, 'x')",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
    }
    // Opening again runs the migrations again: nothing changes, nothing is lost.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), store::latest_schema_version());
    let classes: i64 = store.read(|c| Ok(c.query_row("SELECT count(*) FROM classes", [], |r| r.get(0))?)).unwrap();
    assert_eq!(classes, 1);
}

#[test]
fn uses_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("school.db")).unwrap();
    let (mode, fk): (String, i64) = store
        .read(|c| {
            Ok((
                c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
            ))
        })
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(fk, 1);
    // A student in a class that does not exist is refused by the database itself.
    let orphan = store.write(|tx| {
        tx.execute(
            "INSERT INTO students (student_code, prefix, first_name, last_name, class_id, created_at, updated_at)
             VALUES ('1', 'ด.ช.', 'ก', 'ข', 999, 'x', 'x')",
            [],
        )?;
        Ok(())
    });
    assert!(orphan.is_err());
}

#[cfg(unix)]
#[test]
fn database_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/school.db");
    drop(Store::open(&path).unwrap());
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn audit_log_is_append_only() {
    let store = Store::open_in_memory().unwrap();
    let now = chrono::Utc::now();
    store
        .write(|tx| {
            store::audit::record(
                tx,
                now,
                store::audit::Entry {
                    actor: store::audit::Actor::Cli,
                    action: "test",
                    entity: "thing",
                    entity_id: None,
                    detail: None,
                },
            )
        })
        .unwrap();
    assert!(store.write(|tx| Ok(tx.execute("UPDATE audit_log SET action = 'changed'", [])?)).is_err());
    assert!(store.write(|tx| Ok(tx.execute("DELETE FROM audit_log", [])?)).is_err());
    let rows = store.read(|c| store::audit::recent(c, 10)).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].action, "test");
}

#[test]
fn every_migration_file_is_embedded_in_order() {
    let mut on_disk: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    on_disk.sort();
    let embedded: Vec<String> = store::MIGRATION_FILES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(embedded, on_disk);
}

#[test]
fn backup_is_a_consistent_copy_of_a_live_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.db");
    let live = Store::open(&path).unwrap();
    dulae::roster::import(&live, dulae_common_roster().as_bytes(), false, store::audit::Actor::Cli, chrono::Utc::now())
        .unwrap();
    let copy = dir.path().join("copy.db");
    // The live store stays open (as while the bot runs).
    store::backup::backup(&path, &copy).unwrap();
    let restored = Store::open(&copy).unwrap();
    assert_eq!(restored.read(store::students::count_active_students).unwrap(), 3);
    // Never overwrite an existing backup.
    assert!(store::backup::backup(&path, &copy).is_err());
    drop(live);
}

fn dulae_common_roster() -> String {
    "student_id,prefix,first_name,last_name,class\n1,ด.ช.,ก,ข,ป.1/1\n2,ด.ญ.,ค,ง,ป.1/1\n3,นาย,จ,ฉ,ม.4/1\n".to_string()
}
