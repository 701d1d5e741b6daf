//! Invites: single use, expiry, unknown codes, revoked people, parents with several children.

use crate::common;

use common::*;
use dulae::domain::{Role, TelegramId};
use dulae::invites::{self, Joiner, Redeemed};
use dulae::l10n::Lang;
use dulae::store::audit::Actor;
use dulae::store::{students, users};

fn joiner(id: i64) -> Joiner {
    Joiner {
        telegram_id: TelegramId(id),
        chat_id: id,
        display_name: format!("person {id}"),
        username: None,
        lang: Lang::Th,
    }
}

#[test]
fn codes_are_url_safe_long_enough_and_unique() {
    let a = invites::InviteCode::generate().unwrap();
    let b = invites::InviteCode::generate().unwrap();
    assert_ne!(a, b);
    // 16 random bytes = 128 bits, base64url without padding.
    assert_eq!(a.as_str().len(), 22);
    assert!(a.as_str().chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert!(!format!("{a:?}").contains(a.as_str()), "codes never appear in logs");
}

#[test]
fn an_invite_works_once() {
    let s = School::with_roster();
    let code = invite_code(&s, Role::Teacher, &["ป.4/1", "ป.4/2"], Some("ครูสมศรี"));
    let now = s.clock.now_utc();
    let first = invites::redeem(&s.app.store, &code, &joiner(1), 2, now).unwrap();
    let Redeemed::Joined { role, classes, .. } = first else { panic!("{first:?}") };
    assert_eq!(role, Role::Teacher);
    assert_eq!(classes, ["ป.4/1", "ป.4/2"]);
    let user = s.app.store.read(|c| users::find_by_telegram(c, TelegramId(1))).unwrap().unwrap();
    assert_eq!(user.display_name, "ครูสมศรี", "the name the school gave wins over the Telegram name");
    assert_eq!(s.app.store.read(|c| users::classes_of(c, user.id)).unwrap().len(), 2);

    assert_eq!(invites::redeem(&s.app.store, &code, &joiner(2), 2, now).unwrap(), Redeemed::AlreadyUsed);
    assert!(s.app.store.read(|c| users::find_by_telegram(c, TelegramId(2))).unwrap().is_none());
}

#[test]
fn an_invite_expires() {
    let s = School::with_roster();
    let code = invite_code(&s, Role::Counselor, &[], None);
    let later = s.clock.now_utc() + chrono::Duration::days(14) + chrono::Duration::seconds(1);
    assert_eq!(invites::redeem(&s.app.store, &code, &joiner(1), 2, later).unwrap(), Redeemed::Expired);
    let just_in_time = s.clock.now_utc() + chrono::Duration::days(13);
    assert!(matches!(
        invites::redeem(&s.app.store, &code, &joiner(1), 2, just_in_time).unwrap(),
        Redeemed::Joined { .. }
    ));
}

#[test]
fn unknown_and_malformed_codes_are_unknown() {
    let s = School::with_roster();
    let now = s.clock.now_utc();
    for code in ["", "nope", "AAAAAAAAAAAAAAAAAAAAAA", &"x".repeat(65), "'; DROP TABLE users; --", "รหัส"] {
        assert_eq!(invites::redeem(&s.app.store, code, &joiner(1), 2, now).unwrap(), Redeemed::Unknown, "{code}");
    }
}

#[test]
fn staff_invites_are_checked() {
    let s = School::new();
    let bad = |role, classes: &[&str]| {
        let invite = invites::StaffInvite {
            role,
            classes: classes.iter().map(|c| c.parse().unwrap()).collect(),
            display_name: None,
        };
        invites::create_staff(&s.app.store, Actor::Cli, &invite, 14, s.clock.now_utc()).expect("no fault").err()
    };
    assert_eq!(bad(Role::Teacher, &[]), Some(invites::InviteError::TeacherNeedsClass));
    assert_eq!(bad(Role::Head, &["ป.1/1"]), Some(invites::InviteError::ClassesOnlyForTeachers));
    assert_eq!(bad(Role::Parent, &[]), Some(invites::InviteError::ParentNeedsStudent));
    let invites: i64 =
        s.app.store.read(|c| Ok(c.query_row("SELECT count(*) FROM invites", [], |r| r.get(0))?)).unwrap();
    assert_eq!(invites, 0, "a refused invite writes nothing");
}

#[test]
fn a_revoked_person_is_never_reactivated_by_an_invite_only_by_reinstate() {
    let s = School::with_roster();
    let now = s.clock.now_utc();
    let code = invite_code(&s, Role::Teacher, &["ป.4/1"], None);
    invites::redeem(&s.app.store, &code, &joiner(7), 2, now).unwrap();
    let revoked = staff_changes::revoke(&s.app, "tg:7");
    assert_eq!(revoked.person.role, Role::Teacher);
    assert_eq!(revoked.classes_ended, 1);
    assert!(s.app.store.read(|c| users::find_by_telegram(c, TelegramId(7))).unwrap().unwrap().revoked);
    // A staff invite of any role, and a parent slip, are refused and change nothing.
    let again = invite_code(&s, Role::Head, &[], None);
    assert_eq!(
        invites::redeem(&s.app.store, &again, &joiner(7), 2, now).unwrap(),
        Redeemed::Refused(invites::Refusal::Revoked)
    );
    let child = s.app.store.read(|c| students::find_student_by_code(c, "10001")).unwrap().unwrap().id;
    let slip = invites::create_parent(&s.app.store, Actor::Cli, child, 150, now).unwrap();
    assert_eq!(
        invites::redeem(&s.app.store, slip.code.as_str(), &joiner(7), 2, now).unwrap(),
        Redeemed::Refused(invites::Refusal::Revoked)
    );
    let user = s.app.store.read(|c| users::find_by_telegram(c, TelegramId(7))).unwrap().unwrap();
    assert!(user.revoked);
    assert_eq!(user.role, Role::Teacher);
    assert!(s.app.store.read(|c| users::children_of(c, user.id)).unwrap().is_empty());
    // The codes are still unused: the real parent and the real head can use them.
    assert!(matches!(
        invites::redeem(&s.app.store, slip.code.as_str(), &joiner(8), 2, now).unwrap(),
        Redeemed::Joined { role: Role::Parent, .. }
    ));
    // Only an admin's reinstate gives access back: the role, not the classes.
    let back = dulae::staff::reinstate(&s.app.store, Actor::Cli, "tg:7", now).unwrap().unwrap();
    assert!(!back.revoked);
    assert_eq!(back.role, Role::Teacher);
    assert!(s.app.store.read(|c| users::classes_of(c, back.id)).unwrap().is_empty());
}

#[test]
fn a_parent_links_several_children_and_a_teacher_parent_keeps_their_role() {
    let s = School::with_roster();
    let now = s.clock.now_utc();
    let child = |code: &str| s.app.store.read(|c| students::find_student_by_code(c, code)).unwrap().unwrap().id;
    for code in ["10001", "10003"] {
        let created = invites::create_parent(&s.app.store, Actor::Cli, child(code), 150, now).unwrap();
        let joined = invites::redeem(&s.app.store, created.code.as_str(), &joiner(50), 2, now).unwrap();
        assert!(matches!(joined, Redeemed::Joined { role: Role::Parent, .. }), "{joined:?}");
    }
    let parent = s.app.store.read(|c| users::find_by_telegram(c, TelegramId(50))).unwrap().unwrap();
    let children: Vec<String> =
        s.app.store.read(|c| users::children_of(c, parent.id)).unwrap().iter().map(|c| c.code.clone()).collect();
    assert_eq!(children, ["10001", "10003"]);

    let code = invite_code(&s, Role::Teacher, &["ป.4/1"], None);
    invites::redeem(&s.app.store, &code, &joiner(60), 2, now).unwrap();
    let created = invites::create_parent(&s.app.store, Actor::Cli, child("10002"), 150, now).unwrap();
    invites::redeem(&s.app.store, created.code.as_str(), &joiner(60), 2, now).unwrap();
    let teacher = s.app.store.read(|c| users::find_by_telegram(c, TelegramId(60))).unwrap().unwrap();
    assert_eq!(teacher.role, Role::Teacher);
    assert_eq!(s.app.store.read(|c| users::children_of(c, teacher.id)).unwrap().len(), 1);
}

#[test]
fn joining_is_audited() {
    let s = School::with_roster();
    let code = invite_code(&s, Role::Admin, &[], None);
    invites::redeem(&s.app.store, &code, &joiner(1), 2, s.clock.now_utc()).unwrap();
    let actions: Vec<String> =
        s.app.store.read(|c| dulae::store::audit::recent(c, 10)).unwrap().into_iter().map(|r| r.action).collect();
    assert_eq!(actions[..2], ["invite.redeem".to_string(), "invite.create".to_string()]);
}
