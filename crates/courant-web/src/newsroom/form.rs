//! Posted forms, read once by the newsroom's guard (which checks their CSRF token) and handed
//! to handlers: URL-encoded and multipart bodies alike, repeated fields in order, files in memory.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};

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

    /// Reads a body of at most `limit` bytes as a form, by its content type.
    pub async fn read(headers: &HeaderMap, body: Body, limit: usize) -> Result<Form, FormError> {
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if let Some(length) = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
            && length > limit
        {
            return Err(FormError::TooLarge);
        }
        let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| FormError::TooLarge)?;
        if content_type.starts_with("multipart/form-data") {
            return multipart(content_type, bytes).await;
        }
        let fields = form_urlencoded::parse(&bytes).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        Ok(Form { fields, files: Vec::new() })
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
                form.fields.push((name, text));
            }
        }
    }
    Ok(form)
}
