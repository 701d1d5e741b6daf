//! Staff changes as the admin makes them on the command line (`dulae staff revoke`), for tests.

use dulae::app::App;
use dulae::care::cases::Ctx;
use dulae::store::audit::Actor;

/// `dulae staff revoke WHO` at the app's clock, with its full behaviour.
pub fn revoke(app: &App, who: &str) -> dulae::staff::Revoked {
    let ctx = Ctx::of(app);
    dulae::staff::revoke(&app.store, &ctx, Actor::Cli, who).expect("no fault").expect("not refused")
}
