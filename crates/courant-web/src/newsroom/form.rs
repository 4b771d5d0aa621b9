//! Posted forms, read once by the newsroom's guard (which checks their CSRF token) and handed
//! to handlers: URL-encoded and multipart bodies alike, repeated fields in order, files in memory.
//! The typed forms of the newsroom's actions ([`ArticleForm`], [`PictureForm`]) are read from
//! them here, once, into the inputs of `courant-newsroom`.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};
use courant_core::{AuthorId, Focal, SectionId, SourceId};
use courant_newsroom::{ArticleInput, FieldError, Intent, PictureTexts, PictureUpdate, Refusal, Upload};
use courant_render::SiteClock;

/// A file sent with a form.
pub struct UploadedFile {
    pub field: String,
    pub file_name: String,
    pub bytes: Bytes,
}

/// The fields (in the order sent) and files of a posted form.
#[derive(Default)]
pub struct Form {
    fields: Vec<(String, String)>,
    pub files: Vec<UploadedFile>,
}

/// Why a body could not be read as a form.
pub enum FormError {
    TooLarge,
    /// The body did not arrive within the server's body timeout.
    TimedOut,
    Malformed(String),
}

impl Form {
    /// The first value of a field, trimmed of nothing; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value of a repeated field, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// Whether the field was sent (a ticked checkbox).
    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(k, _)| k == name)
    }

    /// A non-empty file sent in this field.
    pub fn file(&self, name: &str) -> Option<&UploadedFile> {
        self.files.iter().find(|f| f.field == name && !f.bytes.is_empty())
    }

    /// Reads a body of at most `limit` bytes as a form, by its content type; its texts cleaned.
    pub async fn read(headers: &HeaderMap, body: Body, limit: usize) -> Result<Form, FormError> {
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if let Some(length) = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
            && length > limit
        {
            return Err(FormError::TooLarge);
        }
        let bytes = axum::body::to_bytes(body, limit)
            .await
            .map_err(|e| if crate::server::is_body_timeout(&e) { FormError::TimedOut } else { FormError::TooLarge })?;
        if content_type.starts_with("multipart/form-data") {
            return multipart(content_type, bytes).await;
        }
        let fields = form_urlencoded::parse(&bytes).map(|(k, v)| (k.into_owned(), cleaned(v.into_owned()))).collect();
        Ok(Form { fields, files: Vec::new() })
    }
}

/// Every text a form brings is cleaned once, here, on its way to the store: NFC, and no control
/// characters but tab and newline (see `courant_core::clean_text`).
fn cleaned(text: String) -> String {
    match courant_core::clean_text(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(clean) => clean,
    }
}

async fn multipart(content_type: &str, bytes: Bytes) -> Result<Form, FormError> {
    let boundary = multer::parse_boundary(content_type).map_err(|e| FormError::Malformed(e.to_string()))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(bytes) });
    let mut parts = multer::Multipart::new(stream, boundary);
    let mut form = Form::default();
    while let Some(field) = parts.next_field().await.map_err(|e| FormError::Malformed(e.to_string()))? {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let bytes = field.bytes().await.map_err(|e| FormError::Malformed(e.to_string()))?;
                form.files.push(UploadedFile { field: name, file_name, bytes });
            }
            None => {
                let text = field.text().await.map_err(|e| FormError::Malformed(e.to_string()))?;
                form.fields.push((name, cleaned(text)));
            }
        }
    }
    Ok(form)
}

/// The editor's form, read once into the newsroom's input.
pub(crate) struct ArticleForm {
    pub input: ArticleInput,
    pub intent: Intent,
    /// The version the writer opened the article at (0 when absent).
    pub version: i64,
    /// What the form could not read ("Authors: \"x\" is not a choice of this form").
    pub unreadable: Vec<FieldError>,
    /// The form's own texts as sent, to show the form again.
    pub related: String,
    pub new_sources: String,
    pub schedule_at: String,
}

impl ArticleForm {
    /// Reads the editor's fields; `clock` reads the publication time in the site's time zone.
    pub(crate) fn read(form: &Form, clock: &SiteClock) -> ArticleForm {
        let mut unreadable = Vec::new();
        let mut ids = |name: &str, what: &str| -> Vec<i64> {
            let mut out = Vec::new();
            for v in form.all(name).into_iter().map(str::trim).filter(|v| !v.is_empty()) {
                match v.parse::<i64>() {
                    Ok(n) if !out.contains(&n) => out.push(n),
                    Ok(_) => {}
                    Err(_) => unreadable.push(FieldError::new(what, format!("{v:?} is not a choice of this form"))),
                }
            }
            out
        };
        let authors = ids("author", "Authors").into_iter().map(AuthorId).collect();
        let sources = ids("source", "Sources").into_iter().map(SourceId).collect();
        let list = |name: &str, separator: char| -> Vec<String> {
            form.get(name).split(separator).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
        };
        let hero_texts = form.has("hero_alt").then(|| PictureForm::texts(form, "hero_"));
        let hero_upload =
            form.file("hero_file").map(|f| Upload { file_name: f.file_name.clone(), bytes: f.bytes.clone() });
        let intent = intent(form.get("intent"), local_time(form.get("schedule_at"), clock));
        ArticleForm {
            input: ArticleInput {
                headline: form.get("headline").to_string(),
                standfirst: form.get("standfirst").to_string(),
                body: form.get("body").to_string(),
                slug: form.get("slug").to_string(),
                section: form.get("section").trim().parse().ok().map(SectionId),
                authors,
                tags: list("tags", ','),
                sources,
                new_sources: list("new_sources", ','),
                related: list("related", '\n'),
                hero_upload,
                hero_texts: hero_texts.clone(),
            },
            intent,
            version: form.get("version").parse().unwrap_or(0),
            unreadable,
            related: form.get("related").to_string(),
            new_sources: form.get("new_sources").to_string(),
            schedule_at: form.get("schedule_at").to_string(),
        }
    }
}

/// The button a writer pressed, by its value (a plain save for any other); `schedule_at` is the
/// publication time the form gives, if readable.
pub(crate) fn intent(button: &str, schedule_at: Option<time::OffsetDateTime>) -> Intent {
    match button {
        "submit" => Intent::Submit,
        "withdraw" => Intent::Withdraw,
        "reopen" => Intent::Reopen,
        "cancel" => Intent::Cancel,
        "schedule" => Intent::Schedule(schedule_at),
        "publish" => Intent::Publish,
        "unpublish" => Intent::Unpublish,
        _ => Intent::Save,
    }
}

impl ArticleForm {
    /// Refuses the form when some of it could not be read (nothing is asked of the newsroom then).
    pub(crate) fn readable(&self) -> Result<(), Refusal> {
        if self.unreadable.is_empty() { Ok(()) } else { Err(Refusal::Invalid(self.unreadable.clone())) }
    }
}

/// A `datetime-local` value (`2026-11-20T09:30`) in the site's time zone.
pub(crate) fn local_time(raw: &str, clock: &SiteClock) -> Option<time::OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let local = time::PrimitiveDateTime::parse(raw.get(..16).unwrap_or(raw), format).ok()?;
    Some(clock.from_local(local))
}

/// The picture form of the media library: texts and focal point.
pub(crate) struct PictureForm;

impl PictureForm {
    /// A picture's texts as typed, the field names starting with `prefix` (`hero_` in the
    /// editor), trimmed.
    pub(crate) fn texts(form: &Form, prefix: &str) -> PictureTexts {
        let field = |name: &str| form.get(&format!("{prefix}{name}")).trim().to_string();
        PictureTexts {
            alt: field("alt"),
            caption: field("caption"),
            credit: field("credit"),
            keywords: field("keywords")
                .split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }

    /// The texts and focal point (percentages of width and height); what cannot be read.
    pub(crate) fn read(form: &Form) -> Result<PictureUpdate, FieldError> {
        let percent = |name: &str| form.get(name).trim().parse::<f32>().ok();
        let focal = match (percent("focal_x"), percent("focal_y")) {
            (Some(x), Some(y)) => match Focal::new(x / 100.0, y / 100.0) {
                Some(f) => Some(f),
                None => return Err(FieldError::new("Focal point", "use percentages from 0 to 100.")),
            },
            _ => None,
        };
        Ok(PictureUpdate { texts: PictureForm::texts(form, ""), focal })
    }
}
