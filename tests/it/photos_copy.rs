//! Photos from forms are copied to the media folder in the background: saved ones are recorded, failures are
//! retried a bounded number of times, and no half-written file is ever left behind.

use crate::common;

use common::*;
use dulae::domain::{Role, TelegramId};
use dulae::notify::media::{self, PhotoSource};
use std::path::Path;
use std::sync::Mutex;

/// A photo source that fails for chosen file ids.
struct Fake {
    failing: Vec<&'static str>,
    calls: Mutex<Vec<String>>,
}

impl PhotoSource for Fake {
    async fn download(&self, file_id: &str, dest: &Path) -> anyhow::Result<()> {
        self.calls.lock().unwrap().push(file_id.to_string());
        if self.failing.contains(&file_id) {
            // Half a file, then the network drops.
            std::fs::write(dest, b"\xff\xd8partial")?;
            anyhow::bail!("connection reset");
        }
        std::fs::write(dest, format!("jpeg of {file_id}"))?;
        Ok(())
    }
}

#[tokio::test]
async fn photos_are_copied_once_and_failures_retried_a_bounded_number_of_times() {
    let s = School::with_roster();
    s.person(1, "ครู").join_as(Role::Teacher, &["ป.4/1"]);
    let user = s.app.store.read(|c| dulae::store::users::find_by_telegram(c, TelegramId(1))).unwrap().unwrap();
    let now = s.clock.now_utc();
    s.app
        .store
        .write(|tx| {
            dulae::store::photos::record(tx, "good-file", Some("u-good"), user.id, None, now)?;
            dulae::store::photos::record(tx, "bad-file", Some("u-bad"), user.id, None, now)
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let fake = Fake { failing: vec!["bad-file"], calls: Mutex::new(vec![]) };

    let first = media::copy_pending(&s.app.store, &fake, dir.path(), || now).await.unwrap();
    assert_eq!((first.saved, first.failed), (1, 1));
    assert_eq!(std::fs::read_to_string(dir.path().join("u-good.jpg")).unwrap(), "jpeg of good-file");
    assert!(!dir.path().join("u-bad.jpg").exists() && !dir.path().join("u-bad.part").exists(), "no half file");
    let stored: String = s
        .app
        .store
        .read(|c| Ok(c.query_row("SELECT local_path FROM photos WHERE file_id = 'good-file'", [], |r| r.get(0))?))
        .unwrap();
    assert!(stored.ends_with("u-good.jpg"), "{stored}");

    // The saved one is never fetched again; the failing one is tried until the limit, then left alone.
    for _ in 0..20 {
        media::copy_pending(&s.app.store, &fake, dir.path(), || now).await.unwrap();
    }
    let calls = fake.calls.lock().unwrap().clone();
    assert_eq!(calls.iter().filter(|c| *c == "good-file").count(), 1);
    assert_eq!(calls.iter().filter(|c| *c == "bad-file").count() as i64, media::MAX_ATTEMPTS);
    let (attempts, error): (i64, String) = s
        .app
        .store
        .read(|c| {
            Ok(c.query_row("SELECT attempts, last_error FROM photos WHERE file_id = 'bad-file'", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?)
        })
        .unwrap();
    assert_eq!(attempts, media::MAX_ATTEMPTS);
    assert!(error.contains("connection reset"), "{error}");
}
