//! The newsroom under `/newsroom/`: where staff write, edit, illustrate, schedule, publish and
//! correct. Every route is declared once in [`route_table`] with the role it needs; one guard
//! applies that check, loads the session, reads posted forms and checks their CSRF token before
//! any handler runs, so a route cannot forget them.

mod articles;
mod auth;
mod editor;
pub(crate) mod form;
mod front;
mod import;
mod media;
mod newsletters;
mod people;
mod registry;
mod revisions;
mod site_pages;
mod wire;
mod wire_feeds;
mod writing;

pub use auth::throttle;
pub use import::Imports;

use crate::{AppError, AppState};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use courant_core::{Role, User};
use serde::Serialize;
use std::sync::Arc;

/// The newsroom's settings (`[newsroom]` in `courant.toml`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewsroomSettings {
    /// The largest picture upload, in megabytes.
    pub max_upload_mb: usize,
    /// The largest export admins may import from the browser, in megabytes (held in memory
    /// while it arrives; import larger ones with `courant import`).
    pub max_import_mb: usize,
    /// How long a login lasts, in days.
    pub session_days: i64,
    /// Send cookies only over HTTPS. Set from the site's address when it is `https://`.
    #[serde(skip)]
    pub secure_cookies: bool,
}

impl Default for NewsroomSettings {
    fn default() -> Self {
        NewsroomSettings { max_upload_mb: 20, max_import_mb: 100, session_days: 14, secure_cookies: false }
    }
}

/// The store's key of the publication settings admins change here.
pub const SETTINGS_KEY: &str = "publication";

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not (the login and reset forms).
    Anyone,
    /// Logged-in users with at least this role.
    Staff(Role),
}

/// A newsroom route: method, path (axum syntax) and who may use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

type Handler = MethodRouter<AppState>;

/// Every newsroom route. The router is built from this table and the tests walk it, so a route
/// added here is covered by the role checks and by the tests at once.
fn route_table() -> Vec<(RouteSpec, Handler)> {
    use Access::*;
    use Role::*;
    use registry::{Authors, Sections, Sources};
    let r = |method, path, access, handler| (RouteSpec { method, path, access }, handler);
    vec![
        r("GET", "/newsroom/login", Anyone, get(auth::login_form)),
        r("POST", "/newsroom/login", Anyone, post(auth::login)),
        r("GET", "/newsroom/reset/{token}", Anyone, get(auth::reset_form)),
        r("POST", "/newsroom/reset/{token}", Anyone, post(auth::reset)),
        r("POST", "/newsroom/logout", Staff(Contributor), post(auth::logout)),
        r("POST", "/newsroom/logout-everywhere", Staff(Contributor), post(auth::logout_everywhere)),
        r("GET", "/newsroom/account", Staff(Contributor), get(auth::account)),
        r("POST", "/newsroom/account/password", Staff(Contributor), post(auth::change_password)),
        r("GET", "/newsroom/", Staff(Contributor), get(articles::dashboard)),
        r("GET", "/newsroom/articles", Staff(Contributor), get(articles::list)),
        r("POST", "/newsroom/articles", Staff(Contributor), post(writing::create)),
        r("GET", "/newsroom/articles/new", Staff(Contributor), get(writing::new_form)),
        r("POST", "/newsroom/articles/new/autosave", Staff(Contributor), post(writing::autosave_new)),
        r("GET", "/newsroom/articles/{id}", Staff(Contributor), get(writing::edit_form)),
        r("POST", "/newsroom/articles/{id}", Staff(Contributor), post(writing::save)),
        r("POST", "/newsroom/articles/{id}/autosave", Staff(Contributor), post(writing::autosave)),
        r("POST", "/newsroom/articles/{id}/corrections", Staff(Editor), post(writing::correct)),
        r("POST", "/newsroom/articles/{id}/unpublish", Staff(Editor), post(writing::unpublish)),
        r("POST", "/newsroom/articles/{id}/hero", Staff(Contributor), post(writing::set_hero)),
        r("GET", "/newsroom/articles/{id}/revisions", Staff(Contributor), get(revisions::revisions)),
        r("GET", "/newsroom/articles/{id}/diff", Staff(Contributor), get(revisions::diff)),
        r("POST", "/newsroom/articles/{id}/revisions/{rev}/restore", Staff(Contributor), post(writing::restore)),
        r("POST", "/newsroom/preview", Staff(Contributor), post(writing::preview)),
        r("GET", "/newsroom/lookup/articles", Staff(Contributor), get(articles::lookup)),
        r("GET", "/newsroom/lookup/pictures", Staff(Contributor), get(media::lookup)),
        r("GET", "/newsroom/wire", Staff(Contributor), get(wire::desk)),
        r("GET", "/newsroom/wire/rows", Staff(Contributor), get(wire::new_rows)),
        r("POST", "/newsroom/wire/write", Staff(Contributor), post(wire::write_selected)),
        r("GET", "/newsroom/wire/feeds", Staff(Editor), get(wire_feeds::feeds)),
        r("POST", "/newsroom/wire/feeds", Staff(Editor), post(wire_feeds::add)),
        r("POST", "/newsroom/wire/feeds/{id}/pause", Staff(Editor), post(wire_feeds::pause)),
        r("POST", "/newsroom/wire/feeds/{id}/resume", Staff(Editor), post(wire_feeds::resume)),
        r("POST", "/newsroom/wire/feeds/{id}/delete", Staff(Editor), post(wire_feeds::delete)),
        r("GET", "/newsroom/wire/{id}", Staff(Contributor), get(wire::item)),
        r("POST", "/newsroom/wire/{id}/write", Staff(Contributor), post(wire::write)),
        r("GET", "/newsroom/front", Staff(Editor), get(front::front)),
        r("POST", "/newsroom/front/pins", Staff(Editor), post(front::pin)),
        r("POST", "/newsroom/front/pins/{id}/unpin", Staff(Editor), post(front::unpin)),
        r("POST", "/newsroom/front/pins/{id}/up", Staff(Editor), post(front::up)),
        r("POST", "/newsroom/front/pins/{id}/down", Staff(Editor), post(front::down)),
        r("GET", "/newsroom/pages", Staff(Editor), get(site_pages::list)),
        r("POST", "/newsroom/pages", Staff(Editor), post(site_pages::create)),
        r("GET", "/newsroom/pages/{id}", Staff(Editor), get(site_pages::item)),
        r("POST", "/newsroom/pages/{id}", Staff(Editor), post(site_pages::update)),
        r("POST", "/newsroom/pages/{id}/delete", Staff(Editor), post(site_pages::delete)),
        r("GET", "/newsroom/media", Staff(Contributor), get(media::library)),
        r("POST", "/newsroom/media", Staff(Contributor), post(media::upload)),
        r("GET", "/newsroom/media/{id}", Staff(Contributor), get(media::image_form)),
        r("POST", "/newsroom/media/{id}", Staff(Contributor), post(media::update)),
        r("GET", "/newsroom/sections", Staff(Editor), get(registry::list::<Sections>)),
        r("POST", "/newsroom/sections", Staff(Editor), post(registry::create::<Sections>)),
        r("GET", "/newsroom/sections/{id}", Staff(Editor), get(registry::item::<Sections>)),
        r("POST", "/newsroom/sections/{id}", Staff(Editor), post(registry::update::<Sections>)),
        r("POST", "/newsroom/sections/{id}/delete", Staff(Editor), post(registry::delete::<Sections>)),
        r("GET", "/newsroom/tags", Staff(Editor), get(registry::tags::tags)),
        r("POST", "/newsroom/tags/{id}", Staff(Editor), post(registry::tags::rename_tag)),
        r("POST", "/newsroom/tags/{id}/merge", Staff(Editor), post(registry::tags::merge_tag)),
        r("POST", "/newsroom/tags/{id}/delete", Staff(Editor), post(registry::tags::delete_tag)),
        r("GET", "/newsroom/authors", Staff(Editor), get(registry::list::<Authors>)),
        r("POST", "/newsroom/authors", Staff(Editor), post(registry::create::<Authors>)),
        r("GET", "/newsroom/authors/{id}", Staff(Editor), get(registry::item::<Authors>)),
        r("POST", "/newsroom/authors/{id}", Staff(Editor), post(registry::update::<Authors>)),
        r("POST", "/newsroom/authors/{id}/delete", Staff(Editor), post(registry::delete::<Authors>)),
        r("GET", "/newsroom/sources", Staff(Editor), get(registry::list::<Sources>)),
        r("POST", "/newsroom/sources", Staff(Editor), post(registry::create::<Sources>)),
        r("GET", "/newsroom/sources/{id}", Staff(Editor), get(registry::item::<Sources>)),
        r("POST", "/newsroom/sources/{id}", Staff(Editor), post(registry::update::<Sources>)),
        r("POST", "/newsroom/sources/{id}/delete", Staff(Editor), post(registry::delete::<Sources>)),
        r("GET", "/newsroom/newsletters", Staff(Editor), get(newsletters::lists)),
        r("POST", "/newsroom/newsletters", Staff(Editor), post(newsletters::create)),
        r("GET", "/newsroom/newsletters/{id}", Staff(Editor), get(newsletters::list)),
        r("POST", "/newsroom/newsletters/{id}", Staff(Editor), post(newsletters::update)),
        r("POST", "/newsroom/newsletters/{id}/delete", Staff(Editor), post(newsletters::delete)),
        r("POST", "/newsroom/newsletters/{id}/editions", Staff(Editor), post(newsletters::new_edition)),
        r("POST", "/newsroom/newsletters/{id}/picks", Staff(Editor), post(newsletters::save_picks)),
        r("GET", "/newsroom/editions/{id}", Staff(Editor), get(newsletters::edition)),
        r("POST", "/newsroom/editions/{id}", Staff(Editor), post(newsletters::save_edition)),
        r("GET", "/newsroom/editions/{id}/preview", Staff(Editor), get(newsletters::preview)),
        r("POST", "/newsroom/editions/{id}/delete", Staff(Editor), post(newsletters::delete_edition)),
        r("GET", "/newsroom/audit", Staff(Editor), get(people::audit)),
        r("GET", "/newsroom/users", Staff(Admin), get(people::users)),
        r("POST", "/newsroom/users", Staff(Admin), post(people::create_user)),
        r("GET", "/newsroom/users/{id}", Staff(Admin), get(people::user)),
        r("POST", "/newsroom/users/{id}", Staff(Admin), post(people::update_user)),
        r("POST", "/newsroom/users/{id}/reset", Staff(Admin), post(people::reset_link)),
        r("GET", "/newsroom/subscribers", Staff(Admin), get(newsletters::subscribers)),
        r("GET", "/newsroom/subscribers.csv", Staff(Admin), get(newsletters::export)),
        r("POST", "/newsroom/subscribers/{id}/delete", Staff(Admin), post(newsletters::delete_subscriber)),
        r("GET", "/newsroom/import", Staff(Admin), get(import::page)),
        r("POST", "/newsroom/import", Staff(Admin), post(import::start)),
        r("GET", "/newsroom/settings", Staff(Admin), get(people::settings)),
        r("POST", "/newsroom/settings", Staff(Admin), post(people::save_settings)),
    ]
}

/// Every newsroom route with the access it needs (for tests and documentation).
pub fn routes_spec() -> Vec<RouteSpec> {
    route_table().into_iter().map(|(spec, _)| spec).collect()
}

pub(crate) fn routes(state: AppState) -> Router<AppState> {
    let mut router = Router::new().route("/newsroom", get(|| async { redirect("/newsroom/") }));
    for (spec, handler) in route_table() {
        let guarded = handler.layer(middleware::from_fn_with_state((state.clone(), spec.access), guard));
        router = router.route(spec.path, guarded);
    }
    router
}

/// The words of a search box (`?q=`), at most 200 characters.
pub(super) fn search_words(query: &std::collections::HashMap<String, String>) -> String {
    query.get("q").map(String::as_str).unwrap_or("").chars().take(200).collect()
}

/// The logged-in user of a request, with their session's CSRF token.
#[derive(Clone)]
pub(crate) struct Me {
    pub user: User,
    pub csrf: String,
    pub session_hash: String,
}

/// Anyone on a page open to all: maybe logged in, and the token their forms must send back.
#[derive(Clone)]
pub(crate) struct Visitor {
    pub user: Option<User>,
    pub csrf: String,
}

impl Visitor {
    /// The HTML of page `template` open to all.
    fn html(
        &self,
        app: &AppState,
        template: &str,
        title: &str,
        view: impl Serialize,
        errors: Vec<String>,
    ) -> Result<String, AppError> {
        let common = Common::new(app, None, &self.csrf, "login", title, errors, None);
        Ok(app.newsroom_templates.render(template, &Rendered { common, view })?)
    }

    /// [`Visitor::html`] as a 200 response.
    fn page(
        &self,
        app: &AppState,
        template: &str,
        title: &str,
        view: impl Serialize,
        errors: Vec<String>,
    ) -> Result<Response, AppError> {
        Ok(crate::respond::html(StatusCode::OK, self.html(app, template, title, view, errors)?))
    }
}

/// Checks who may use the route, then (for posts) reads the form and checks its CSRF token.
async fn guard(
    State((app, access)): State<(AppState, Access)>,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    let now = time::OffsetDateTime::now_utc();
    let (mut parts, body) = request.into_parts();
    let session_token = auth::cookie(&parts.headers, auth::SESSION_COOKIE).map(str::to_string);
    let session = match &session_token {
        Some(t) => {
            app.store.session(&auth::token_hash(t), now).await?.map(|s| (s.user, s.csrf_token, auth::token_hash(t)))
        }
        None => None,
    };
    let posting = parts.method != Method::GET && parts.method != Method::HEAD;
    // Browsers say where a request comes from; another site's form is refused outright.
    if posting && parts.headers.get("sec-fetch-site").is_some_and(|v| v.as_bytes() == b"cross-site") {
        return Err(AppError::Forbidden("This form was sent from another site.".into()));
    }
    let mut set_form_cookie = None;
    let expected_csrf = match (access, &session) {
        (Access::Staff(role), Some((user, csrf, hash))) => {
            if !user.is(role) {
                return Err(AppError::Forbidden(format!("This needs the {role} role; you are {}.", user.role)));
            }
            let path = parts.uri.path();
            if user.must_change_password
                && !matches!(path, "/newsroom/account" | "/newsroom/account/password" | "/newsroom/logout")
            {
                return Ok(redirect("/newsroom/account"));
            }
            parts.extensions.insert(Me { user: user.clone(), csrf: csrf.clone(), session_hash: hash.clone() });
            csrf.clone()
        }
        (Access::Staff(_), None) => {
            return Ok(if posting {
                AppError::Forbidden(
                    "Your session has ended. Log in again; your browser may still hold your text.".into(),
                )
                .into_response()
            } else {
                redirect("/newsroom/login")
            });
        }
        (Access::Anyone, _) => {
            // Forms open to all carry a token that must match a cookie: another site can
            // neither read nor set it (double submit).
            let token = match auth::cookie(&parts.headers, auth::FORM_COOKIE) {
                Some(t) if t.len() == 64 => t.to_string(),
                _ => {
                    let t = auth::token();
                    set_form_cookie = Some(t.clone());
                    t
                }
            };
            parts.extensions.insert(Visitor { user: session.as_ref().map(|s| s.0.clone()), csrf: token.clone() });
            token
        }
    };
    if posting {
        // Only logged-in users send pictures; forms open to all are small.
        let multipart =
            parts.headers.get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"multipart/form-data"));
        let importing = parts.uri.path() == "/newsroom/import";
        let limit = match access {
            Access::Anyone => 64 * 1024,
            Access::Staff(_) if multipart && importing => (app.newsroom_settings.max_import_mb + 1) * 1024 * 1024,
            Access::Staff(_) if multipart => (app.newsroom_settings.max_upload_mb + 2) * 1024 * 1024,
            Access::Staff(_) => 4 * 1024 * 1024,
        };
        let form = match form::Form::read(&parts.headers, body, limit).await {
            Ok(f) => f,
            Err(form::FormError::TooLarge) if importing => {
                return Err(AppError::TooLarge(format!(
                    "Exports imported here may be at most {} MB: import larger ones with `courant import` on the server.",
                    app.newsroom_settings.max_import_mb
                )));
            }
            Err(form::FormError::TooLarge) => {
                return Err(AppError::TooLarge(format!(
                    "Too much was sent at once: pictures may be at most {} MB, and forms without one 4 MB.",
                    app.newsroom_settings.max_upload_mb
                )));
            }
            Err(form::FormError::TimedOut) => {
                return Err(AppError::TimedOut("The form took too long to arrive; send it again.".into()));
            }
            Err(form::FormError::Malformed(why)) => {
                return Err(AppError::BadRequest(format!("Unreadable form: {why}")));
            }
        };
        let most = app.newsroom_settings.max_upload_mb * 1024 * 1024;
        if let Some(big) = form.files.iter().find(|f| f.bytes.len() > most && !importing) {
            return Err(AppError::TooLarge(format!(
                "The file {:?} is {:.1} MB; pictures may be at most {} MB.",
                big.file_name.chars().filter(|c| !c.is_control()).take(80).collect::<String>(),
                big.bytes.len() as f64 / (1024.0 * 1024.0),
                app.newsroom_settings.max_upload_mb
            )));
        }
        let sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| form.get("csrf"));
        if !auth::same_secret(sent, &expected_csrf) {
            tracing::info!(path = parts.uri.path(), "refused a form with a missing or wrong CSRF token");
            return Err(AppError::Forbidden(
                "This form has expired or did not come from this newsroom. Reload the page and send it again.".into(),
            ));
        }
        parts.extensions.insert(Arc::new(form));
        let response = next.run(Request::from_parts(parts, axum::body::Body::empty())).await;
        return Ok(private(response));
    }
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if let Some(t) = set_form_cookie {
        response.headers_mut().append(header::SET_COOKIE, auth::set_cookie(&app, auth::FORM_COOKIE, &t, None));
    }
    Ok(private(response))
}

/// Newsroom pages are never stored by browsers or proxies, and run no script but our own: text
/// a writer typed can never execute here, even if escaping failed somewhere.
fn private(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // A page with a policy of its own keeps it (an email's preview: no script at all).
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
    ));
    response
}

pub(crate) use crate::respond::see_other as redirect;

/// What every newsroom page shows around its own content.
#[derive(Serialize)]
struct Common {
    site_title: String,
    css_url: String,
    js_url: String,
    editor_js_url: String,
    title: String,
    me: Option<MeView>,
    can: Can,
    csrf: String,
    nav: &'static str,
    notice: Option<String>,
    /// A link that follows the notice up ("View it on the site").
    notice_link: Option<NoticeLink>,
    errors: Vec<String>,
}

/// A message of what was just done, made for the page that shows it (the editor says when a
/// story is scheduled for), instead of one of the fixed `?done=` messages.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct Notice {
    pub text: String,
    pub link: Option<NoticeLink>,
}

/// Where a notice leads, and what its link says.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct NoticeLink {
    pub url: String,
    pub label: String,
}

impl Notice {
    /// A notice without a link.
    pub(crate) fn text(text: impl Into<String>) -> Notice {
        Notice { text: text.into(), link: None }
    }

    /// The fixed message of a `?done=` code, if it is one.
    pub(crate) fn done(code: &str) -> Option<Notice> {
        done_message(code).map(Notice::text)
    }
}

#[derive(Serialize)]
struct MeView {
    id: i64,
    name: String,
    email: String,
    role: &'static str,
}

#[derive(Serialize)]
struct Can {
    manage: bool,
    admin: bool,
}

impl Common {
    fn new(
        app: &AppState,
        me: Option<&Me>,
        csrf: &str,
        nav: &'static str,
        title: &str,
        errors: Vec<String>,
        notice: Option<Notice>,
    ) -> Common {
        let user = me.map(|m| &m.user);
        let (notice, notice_link) = notice.map_or((None, None), |n| (Some(n.text), n.link));
        Common {
            site_title: app.renderer().site().title.clone(),
            css_url: crate::AppState::newsroom_css_url(),
            js_url: crate::AppState::newsroom_js_url(),
            editor_js_url: crate::AppState::editor_js_url(),
            title: title.to_string(),
            me: user.map(|u| MeView {
                id: u.id.0,
                name: u.name.clone(),
                email: u.email.clone(),
                role: u.role.as_str(),
            }),
            can: Can {
                manage: user.is_some_and(|u| u.is(Role::Editor)),
                admin: user.is_some_and(|u| u.is(Role::Admin)),
            },
            csrf: csrf.to_string(),
            nav,
            notice,
            notice_link,
            errors,
        }
    }
}

/// Messages shown after a successful action, by the code in `?done=`: never text from the URL.
fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "saved" => "Saved.",
        "created" => "Created.",
        "deleted" => "Deleted.",
        "published" => "Published. The story is live.",
        "scheduled" => "Scheduled.",
        "submitted" => "Sent for review.",
        "withdrawn" => "Back in drafts.",
        "unpublished" => "Unpublished. The story's address now answers 410 Gone.",
        "reopened" => "Reopened as a draft.",
        "corrected" => "Correction published.",
        "restored" => "Revision restored as a new version.",
        "uploaded" => "Picture uploaded.",
        "feed_added" => "Feed added; it is polled within a few seconds.",
        "feed_paused" => "Feed paused.",
        "feed_resumed" => "Feed resumed; it is polled within a few seconds.",
        "picks_saved" => "Picks saved: the next edition of a newsletter of editors' picks sends them.",
        "feed_removed" => "Feed removed; the items it gave stay on the wire.",
        "list_saved" => "Newsletter saved.",
        "list_deleted" => "Newsletter deleted, with its editions.",
        "edition_saved" => "Edition saved as a draft.",
        "edition_scheduled" => "Edition scheduled: it goes out at the time shown.",
        "edition_queued" => "Edition queued: it goes to every confirmed subscriber, counted below.",
        "test_sent" => "Test sent to your email address.",
        "edition_deleted" => "Edition deleted.",
        "subscriber_deleted" => "Subscriber deleted: the address and its consent are erased.",
        "from_wire" => "A draft from the wire copy: rewrite it in your words; the agency is among its sources.",
        "merged" => "Tags merged.",
        "pinned" => "Pinned: the front page shows it now.",
        "unpinned" => "Unpinned: the front page shows the newest stories in its place.",
        "moved" => "Moved: the front page shows the new order.",
        "password" => "Password changed.",
        _ => return None,
    })
}

#[derive(Serialize)]
struct Rendered<T: Serialize> {
    #[serde(flatten)]
    common: Common,
    #[serde(flatten)]
    view: T,
}

/// A newsroom page to render: its template, the area it belongs to (marked in the navigation)
/// and its title.
pub(crate) struct Page<'a> {
    template: &'a str,
    nav: &'static str,
    title: &'a str,
}

impl<'a> Page<'a> {
    /// The page of an area, named after it (`sections`).
    pub(crate) fn of(area: &'static str, title: &'a str) -> Page<'a> {
        Page { template: area, nav: area, title }
    }

    /// Page `template` within area `nav` (`section` within `sections`).
    pub(crate) fn within(template: &'a str, nav: &'static str, title: &'a str) -> Page<'a> {
        Page { template, nav, title }
    }

    /// The HTML for a logged-in user: `view` within what every page shows, with the errors of a
    /// refused form and the message of what was just done.
    pub(crate) fn html(
        self,
        app: &AppState,
        me: &Me,
        view: impl Serialize,
        errors: Vec<String>,
        notice: Option<&str>,
    ) -> Result<String, AppError> {
        self.html_noting(app, me, view, errors, notice.and_then(Notice::done))
    }

    /// [`Page::html`] with a notice made for this page rather than a `?done=` code's.
    pub(crate) fn html_noting(
        self,
        app: &AppState,
        me: &Me,
        view: impl Serialize,
        errors: Vec<String>,
        notice: Option<Notice>,
    ) -> Result<String, AppError> {
        let common = Common::new(app, Some(me), &me.csrf, self.nav, self.title, errors, notice);
        Ok(app.newsroom_templates.render(self.template, &Rendered { common, view })?)
    }

    /// [`Page::html`] as a 200 response.
    pub(crate) fn response(
        self,
        app: &AppState,
        me: &Me,
        view: impl Serialize,
        errors: Vec<String>,
        notice: Option<&str>,
    ) -> Result<Response, AppError> {
        Ok(crate::respond::html(StatusCode::OK, self.html(app, me, view, errors, notice)?))
    }
}

/// Renders the refusal and error page inside the newsroom.
pub(crate) fn message_page(
    app: &AppState,
    status: StatusCode,
    heading: &str,
    message: &str,
    items: &[String],
) -> Response {
    #[derive(Serialize)]
    struct View<'a> {
        heading: &'a str,
        message: &'a str,
        items: &'a [String],
        back_url: Option<&'a str>,
    }
    let common = Common::new(app, None, "", "message", heading, Vec::new(), None);
    let view = View { heading, message, items, back_url: Some("/newsroom/") };
    match app.newsroom_templates.render("message", &Rendered { common, view }) {
        Ok(html) => crate::respond::html(status, html),
        Err(e) => {
            tracing::error!(error = %e, "newsroom message page failed to render");
            (status, message.to_string()).into_response()
        }
    }
}

/// `?page=N&...` values for newsroom lists.
#[derive(Serialize)]
pub(crate) struct Pagination {
    page: i64,
    total_pages: i64,
    prev_url: Option<String>,
    next_url: Option<String>,
}

impl Pagination {
    /// Pages of `per_page` over `total` items; `url(n)` is the address of page n.
    pub(crate) fn new(page: i64, per_page: i64, total: i64, url: impl Fn(i64) -> String) -> Pagination {
        let total_pages = ((total + per_page - 1) / per_page).max(1);
        Pagination {
            page,
            total_pages,
            prev_url: (page > 1).then(|| url(page - 1)),
            next_url: (page < total_pages).then(|| url(page + 1)),
        }
    }
}

/// An option of a `<select>`.
#[derive(Serialize, Clone)]
pub(crate) struct Choice {
    value: String,
    label: String,
    selected: bool,
}

impl Choice {
    /// The submitted value.
    pub(crate) fn value(&self) -> &str {
        &self.value
    }

    pub(crate) fn new(value: impl ToString, label: impl Into<String>, selected: bool) -> Choice {
        Choice { value: value.to_string(), label: label.into(), selected }
    }
}

/// The newsroom's field errors as the lines a page shows ("Headline: a headline is required").
pub(crate) fn messages(errors: &[courant_newsroom::FieldError]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

/// The page number in a `page` query value (1 when absent or nonsense).
pub(crate) fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|p| p.parse::<i64>().ok()).filter(|p| (1..=100_000).contains(p)).unwrap_or(1)
}
