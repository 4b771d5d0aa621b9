//! `/newsroom/import`: admins bring a WordPress or Ghost export in from the browser. The file
//! is kept in a temporary file and imported by a task of its own (the same import as
//! `courant import`); the page follows its progress (reloading itself while it runs, no script
//! needed) and then shows its report. One import at a time, on the node that received it.

use super::form::Form;
use super::{Me, Page, redirect};
use crate::{AppError, AppState};
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use courant_import::{Options, Report};
use serde::Serialize;
use std::sync::{Arc, Mutex};

/// Warnings a report page lists; the rest are counted.
const SHOWN_WARNINGS: usize = 1000;

/// The import this node runs or ran last.
#[derive(Default)]
pub struct Imports(Arc<Mutex<Job>>);

#[derive(Debug, Clone, Default)]
enum Job {
    #[default]
    None,
    Running {
        what: String,
        done: u64,
        total: u64,
    },
    Done {
        what: String,
        report: Box<Report>,
    },
    Failed {
        what: String,
        message: String,
    },
}

impl Imports {
    fn get(&self) -> Job {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, job: Job) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = job;
    }
}

/// The formats the page offers.
const FORMATS: &[(&str, &str)] = &[("wordpress", "WordPress export (.xml)"), ("ghost", "Ghost export (.json)")];

#[derive(Serialize)]
struct ImportView {
    formats: Vec<(&'static str, &'static str)>,
    max_mb: usize,
    running: bool,
    what: String,
    /// Percent done while running.
    percent: u64,
    failed: Option<String>,
    report: Option<ReportView>,
}

#[derive(Serialize)]
struct ReportView {
    counts: Vec<(String, u64, u64, u64)>,
    left_out: Vec<(String, u64)>,
    warnings: Vec<(String, String)>,
    more_warnings: usize,
}

impl ReportView {
    fn of(report: &Report) -> ReportView {
        ReportView {
            counts: report.counts.iter().map(|(k, c)| (k.to_string(), c.imported, c.updated, c.skipped)).collect(),
            left_out: report.left_out.iter().map(|(k, n)| (k.clone(), *n)).collect(),
            warnings: report
                .warnings
                .iter()
                .take(SHOWN_WARNINGS)
                .map(|w| (w.item.clone(), w.message.clone()))
                .collect(),
            more_warnings: report.warnings.len().saturating_sub(SHOWN_WARNINGS),
        }
    }
}

/// `GET /newsroom/import`: admins only. The form, the running import's progress, or the last
/// import's report.
pub(super) async fn page(State(app): State<AppState>, Extension(me): Extension<Me>) -> Result<Response, AppError> {
    import_page(&app, &me, Vec::new())
}

fn import_page(app: &AppState, me: &Me, errors: Vec<String>) -> Result<Response, AppError> {
    let mut view = empty_view(app);
    match app.imports.get() {
        Job::None => {}
        Job::Running { what, done, total } => {
            view.running = true;
            view.what = what;
            view.percent = (done * 100).checked_div(total).unwrap_or(0).min(100);
        }
        Job::Done { what, report } => {
            view.what = what;
            view.report = Some(ReportView::of(&report));
        }
        Job::Failed { what, message } => {
            view.what = what;
            view.failed = Some(message);
        }
    }
    Page::of("import", "Import").response(app, me, view, errors, None)
}

/// `POST /newsroom/import`: admins only (CSRF checked by the guard). Keeps the file and starts
/// its import; answers with the page that follows it. Refused while another import runs.
pub(super) async fn start(
    State(app): State<AppState>,
    Extension(me): Extension<Me>,
    Extension(form): Extension<Arc<Form>>,
) -> Result<Response, AppError> {
    let format = form.get("format");
    let mut errors = Vec::new();
    if !FORMATS.iter().any(|(f, _)| *f == format) {
        errors.push("Format: choose WordPress or Ghost.".to_string());
    }
    let file = form.file("file");
    if file.is_none() {
        errors.push("File: choose the export file to import.".to_string());
    }
    if matches!(app.imports.get(), Job::Running { .. }) {
        errors.push("An import is running: wait for its report before starting another.".to_string());
    }
    let Some(file) = file.filter(|_| errors.is_empty()) else {
        let page = Page::of("import", "Import").html(&app, &me, empty_view(&app), errors.clone(), None)?;
        return Err(AppError::invalid(errors).with_page(page));
    };
    let name: String = file.file_name.chars().filter(|c| !c.is_control()).take(120).collect();
    let path = std::env::temp_dir().join(format!("courant-import-{}", courant_newsroom::secrets::token()));
    if let Err(e) = tokio::fs::write(&path, &file.bytes).await {
        tracing::error!(error = %e, path = %path.display(), "cannot keep an uploaded export");
        return Err(AppError::internal("keeping the uploaded export", e));
    }
    let what = format!("{name} ({})", if format == "ghost" { "Ghost" } else { "WordPress" });
    app.imports.set(Job::Running { what: what.clone(), done: 0, total: file.bytes.len() as u64 });
    let options = Options { media: None, by: Some(me.user.id), file_name: name };
    let task_app = app.clone();
    let ghost = format == "ghost";
    tokio::spawn(async move {
        let progress = |done, total| {
            task_app.imports.set(Job::Running { what: what.clone(), done, total });
        };
        let imported = if ghost {
            courant_import::import_ghost(&task_app.newsroom, &path, &options, &progress).await
        } else {
            courant_import::import_wordpress(&task_app.newsroom, &path, &options, &progress).await
        };
        if let Err(e) = tokio::fs::remove_file(&path).await {
            tracing::warn!(error = %e, path = %path.display(), "cannot remove an imported export");
        }
        match imported {
            Ok(report) => {
                tracing::info!(file = %what, warnings = report.warnings.len(), "import done");
                task_app.imports.set(Job::Done { what, report: Box::new(report) });
            }
            Err(e) => {
                tracing::warn!(file = %what, error = %e, "import refused");
                let message = match &e {
                    courant_import::ImportError::Store(s) if s.is_unavailable() => {
                        "The store could not be reached; nothing was imported. Try again.".to_string()
                    }
                    courant_import::ImportError::Store(_) | courant_import::ImportError::Io { .. } => {
                        "The import failed on our side and nothing was written; the log says why.".to_string()
                    }
                    e => format!("{e}. Nothing was imported."),
                };
                task_app.imports.set(Job::Failed { what, message });
            }
        }
    });
    Ok(redirect("/newsroom/import"))
}

/// The page's view before any import (and for the form shown again with its errors).
fn empty_view(app: &AppState) -> ImportView {
    ImportView {
        formats: FORMATS.to_vec(),
        max_mb: app.newsroom_settings.max_import_mb,
        running: false,
        what: String::new(),
        percent: 0,
        failed: None,
        report: None,
    }
}
