//! Email for newsletters: a message with an HTML and a plain-text part
//! (`multipart/alternative`), `Date`, `Message-ID`, `From`, `Reply-To` and, for a list's
//! editions, `List-Unsubscribe` with `List-Unsubscribe-Post` (RFC 8058: one click, no login).
//! It leaves through SMTP ([`Mailer::Smtp`], STARTTLS or TLS with a login, pooled connections)
//! or, with no SMTP server configured, is written to the outbox folder as an `.eml` file
//! ([`Mailer::Outbox`]) and sent nowhere.
//!
//! [`links`] signs the addresses the messages link to (confirm, preferences, unsubscribe).

pub mod links;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `[mail]` in `courant.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MailSettings {
    /// The SMTP server: `smtps://USER:PASSWORD@HOST:465` (TLS) or
    /// `smtp://USER:PASSWORD@HOST:587?tls=required` (STARTTLS); absent: messages go to
    /// `DATA/outbox/` and are not sent.
    pub smtp: Option<String>,
    /// Who newsletters come from, as `Name <address>`.
    pub from: String,
    /// Where replies go, when not to `from`.
    pub reply_to: Option<String>,
    /// Messages sent a second, at most, by each node that sends.
    pub per_second: u32,
    /// Messages in flight at once, each on a connection of its own to the SMTP server.
    pub connections: u32,
    /// How long the SMTP server has to answer, in seconds.
    pub timeout_seconds: u64,
    /// The wait before a message the server put off (4xx) is tried again, in seconds; it
    /// doubles with each attempt.
    pub retry_seconds: u64,
    /// `[mail.dkim]`: sign every message; absent: unsigned.
    pub dkim: Option<DkimSettings>,
}

/// `[mail.dkim]`: every message signed with DKIM, so receivers can trust its `From` and its
/// one-click unsubscribe headers (RFC 8058 asks for them to be signed).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DkimSettings {
    /// The key's selector, as published in DNS at `SELECTOR._domainkey.DOMAIN`.
    pub selector: String,
    /// The signing domain (usually `from`'s).
    pub domain: String,
    /// The private key's file: RSA in PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`), or an
    /// Ed25519 key as the base64 of its 32 bytes.
    pub key_file: PathBuf,
    /// "rsa" (the default) or "ed25519".
    #[serde(default = "rsa")]
    pub algorithm: String,
}

fn rsa() -> String {
    "rsa".into()
}

/// The headers a signature covers: who, what, when, and the list headers.
const SIGNED: &[&str] = &[
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Reply-To",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

impl DkimSettings {
    /// The signing configuration, the key read from its file. Errors name the key of
    /// `courant.toml` and never repeat the private key.
    pub fn load(&self) -> Result<lettre::message::dkim::DkimConfig, String> {
        use lettre::message::dkim::{
            DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm, DkimSigningKey,
        };
        let algorithm = match self.algorithm.as_str() {
            "rsa" => DkimSigningAlgorithm::Rsa,
            "ed25519" => DkimSigningAlgorithm::Ed25519,
            other => return Err(format!("key `mail.dkim.algorithm`: {other:?}; write \"rsa\" or \"ed25519\"")),
        };
        if self.selector.is_empty() || self.domain.is_empty() {
            return Err("keys `mail.dkim.selector` and `mail.dkim.domain`: both are needed to sign".into());
        }
        let text = std::fs::read_to_string(&self.key_file)
            .map_err(|e| format!("key `mail.dkim.key_file`: cannot read {}: {e}", self.key_file.display()))?;
        let key = DkimSigningKey::new(text.trim(), algorithm).map_err(|_| {
            format!(
                "key `mail.dkim.key_file`: {} is not an {} private key (RSA: PKCS#1 PEM; Ed25519: base64 of 32 bytes)",
                self.key_file.display(),
                self.algorithm
            )
        })?;
        Ok(DkimConfig::new(
            self.selector.clone(),
            self.domain.clone(),
            key,
            SIGNED.iter().map(|h| HeaderName::new_from_ascii_str(h)).collect(),
            DkimCanonicalization { header: DkimCanonicalizationType::Relaxed, body: DkimCanonicalizationType::Relaxed },
        ))
    }
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp: None,
            from: "Courant newsletters <newsletters@localhost>".into(),
            reply_to: None,
            per_second: 20,
            connections: 4,
            timeout_seconds: 30,
            retry_seconds: 60,
            dkim: None,
        }
    }
}

impl MailSettings {
    /// Checks what can be checked without sending: the addresses and the server's URL. The
    /// error says which key is wrong and what to write; it never repeats a password.
    pub fn check(&self) -> Result<(), String> {
        self.from.parse::<Mailbox>().map_err(|e| {
            format!("key `mail.from`: {:?} is not an address ({e}); write \"Name <address@example.org>\"", self.from)
        })?;
        if let Some(r) = &self.reply_to {
            r.parse::<Mailbox>().map_err(|e| format!("key `mail.reply_to`: {r:?} is not an address ({e})"))?;
        }
        if !(1..=86_400).contains(&self.retry_seconds) {
            return Err(
                "key `mail.retry_seconds`: wait from 1 second to a day before trying a put-off message again".into()
            );
        }
        if !(1..=32).contains(&self.connections) {
            return Err("key `mail.connections`: send over 1 to 32 connections at once".into());
        }
        if self.per_second == 0 {
            return Err("key `mail.per_second`: send at least 1 message a second".into());
        }
        if let Some(dkim) = &self.dkim {
            dkim.load()?;
        }
        if let Some(url) = &self.smtp {
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| {
                format!(
                    "key `mail.smtp`: not an SMTP server's address ({e}); write smtps://USER:PASSWORD@HOST:465 \
                     or smtp://USER:PASSWORD@HOST:587?tls=required"
                )
            })?;
        }
        Ok(())
    }
}

/// A message to one address.
#[derive(Debug, Clone, Default)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    /// The HTML part (CSS inlined, links absolute).
    pub html: String,
    /// The plain-text part.
    pub text: String,
    /// For a list's editions: the one-click unsubscribe address (`List-Unsubscribe`,
    /// `List-Unsubscribe-Post`).
    pub unsubscribe: Option<String>,
    /// For a list's editions: `List-Id`, as `Name <slug.host>`.
    pub list_id: Option<String>,
    /// The left part of the `Message-ID` (unique per message; the domain is `from`'s).
    pub id: String,
}

/// Why a message did not leave.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Failure {
    /// The server said try later (4xx), or could not be reached or did not answer.
    #[error("{0}")]
    Temporary(String),
    /// The server refused it for good (5xx): the address or the message.
    #[error("{0}")]
    Permanent(String),
}

/// Where messages go.
#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        sender: Sender,
    },
    /// `.eml` files in this folder; nothing is sent.
    Outbox {
        dir: PathBuf,
        sender: Sender,
    },
}

/// Who messages come from, and how they are signed.
#[derive(Clone)]
pub struct Sender {
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    pub dkim: Option<std::sync::Arc<lettre::message::dkim::DkimConfig>>,
}

impl Mailer {
    /// The mailer `settings` describe; the outbox is `data/outbox`.
    pub fn new(settings: &MailSettings, data: &Path) -> Result<Mailer, String> {
        settings.check()?;
        let parse = |s: &str| s.parse::<Mailbox>().map_err(|e| e.to_string());
        let sender = Sender {
            from: parse(&settings.from)?,
            reply_to: settings.reply_to.as_deref().map(parse).transpose()?,
            dkim: settings.dkim.as_ref().map(DkimSettings::load).transpose()?.map(std::sync::Arc::new),
        };
        Ok(match &settings.smtp {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("key `mail.smtp`: {e}"))?
                    .timeout(Some(Duration::from_secs(settings.timeout_seconds.max(1))))
                    .pool_config(lettre::transport::smtp::PoolConfig::new().max_size(settings.connections.max(1)))
                    .build();
                Mailer::Smtp { transport, sender }
            }
            None => Mailer::Outbox { dir: data.join("outbox"), sender },
        })
    }

    /// Whether messages really leave (an SMTP server is configured).
    pub fn sends(&self) -> bool {
        matches!(self, Mailer::Smtp { .. })
    }

    /// The outbox folder, when messages are written there instead of sent.
    pub fn outbox(&self) -> Option<&Path> {
        match self {
            Mailer::Outbox { dir, .. } => Some(dir),
            Mailer::Smtp { .. } => None,
        }
    }

    /// Builds and sends (or writes) one message.
    pub async fn send(&self, mail: &Mail) -> Result<(), Failure> {
        let sender = match self {
            Mailer::Smtp { sender, .. } | Mailer::Outbox { sender, .. } => sender,
        };
        let mut message = build(mail, &sender.from, sender.reply_to.as_ref()).map_err(Failure::Permanent)?;
        if let Some(dkim) = &sender.dkim {
            message.sign(dkim);
        }
        match self {
            Mailer::Smtp { transport, .. } => match transport.send(message).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err(Failure::Permanent(words(&e))),
                Err(e) => Err(Failure::Temporary(words(&e))),
            },
            Mailer::Outbox { dir, .. } => write_eml(dir, &mail.id, &message.formatted())
                .await
                .map_err(|e| Failure::Temporary(format!("the outbox {} could not be written: {e}", dir.display()))),
        }
    }
}

/// `text` with every email address in it replaced by `<address>`: what a server says about a
/// message, fit for a log (mail servers quote the recipient).
pub fn without_addresses(text: &str) -> String {
    text.split_inclusive(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"' || c == ',')
        .map(|part| {
            let word =
                part.trim_end_matches(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"' || c == ',');
            if word.contains('@') { part.replacen(word, "<address>", 1) } else { part.to_string() }
        })
        .collect()
}

/// An SMTP error in words: the server's code and text when it answered.
fn words(e: &lettre::transport::smtp::Error) -> String {
    match e.status() {
        Some(code) => format!("the mail server answered {code}: {e}"),
        None if e.is_timeout() => "the mail server did not answer in time".into(),
        None => format!("the mail server could not be reached: {e}"),
    }
}

/// The message `mail` describes, from `from`.
pub fn build(mail: &Mail, from: &Mailbox, reply_to: Option<&Mailbox>) -> Result<Message, String> {
    let to: Mailbox = mail.to.parse().map_err(|e| format!("{:?} is not an address: {e}", mail.to))?;
    let domain = from.email.domain().to_string();
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .date(std::time::SystemTime::now())
        .message_id(Some(format!("<{}@{domain}>", mail.id)));
    if let Some(r) = reply_to {
        builder = builder.reply_to(r.clone());
    }
    if let Some(url) = &mail.unsubscribe {
        builder = builder
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ));
    }
    if let Some(id) = &mail.list_id {
        builder = builder.raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Id"), id.clone()));
    }
    builder
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(mail.text.clone()))
                .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(mail.html.clone())),
        )
        .map_err(|e| format!("the message could not be built: {e}"))
}

/// Writes a message into the outbox as `ID.eml` (whole or not at all).
async fn write_eml(dir: &Path, id: &str, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let name: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect();
    let tmp = dir.join(format!(".{name}.eml.tmp"));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, dir.join(format!("{name}.eml"))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> Mail {
        Mail {
            to: "reader@example.org".into(),
            subject: "Morning briefing: the ferry is back".into(),
            html: "<p>Hello</p>".into(),
            text: "Hello".into(),
            unsubscribe: Some("https://news.example/newsletters/unsubscribe?t=abc".into()),
            list_id: Some("Morning briefing <briefing.news.example>".into()),
            id: "edition-1-2".into(),
        }
    }

    #[test]
    fn a_message_has_both_parts_and_the_list_headers() {
        let from: Mailbox = "The Courant <letters@news.example>".parse().expect("from");
        let reply: Mailbox = "desk@news.example".parse().expect("reply");
        let text = String::from_utf8(build(&mail(), &from, Some(&reply)).expect("build").formatted()).expect("utf-8");
        for needle in [
            "From: \"The Courant\" <letters@news.example>",
            "Reply-To: desk@news.example",
            "To: reader@example.org",
            "Message-ID: <edition-1-2@news.example>",
            "List-Unsubscribe: <https://news.example/newsletters/unsubscribe?t=abc>",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "List-Id: Morning briefing <briefing.news.example>",
            "Content-Type: multipart/alternative",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Type: text/html; charset=utf-8",
            "Date: ",
        ] {
            assert!(text.contains(needle), "no {needle:?} in\n{text}");
        }
    }

    #[test]
    fn addresses_are_kept_out_of_what_is_logged() {
        assert_eq!(
            without_addresses("the mail server answered 550: 5.1.1 <reader@example.org>: no such user"),
            "the mail server answered 550: 5.1.1 <<address>>: no such user"
        );
        assert_eq!(without_addresses("\"reader@example.org\" is not an address"), "\"<address>\" is not an address");
        assert_eq!(without_addresses("no address here"), "no address here");
    }

    #[test]
    fn settings_are_checked_without_repeating_a_password() {
        let bad = MailSettings { smtp: Some("ftp://user:hunter2@host".into()), ..MailSettings::default() };
        let err = bad.check().expect_err("refused");
        assert!(err.contains("mail.smtp") && !err.contains("hunter2"), "{err}");
        let bad = MailSettings { from: "not an address".into(), ..MailSettings::default() };
        assert!(bad.check().expect_err("refused").contains("mail.from"));
        assert!(MailSettings::default().check().is_ok());
        let tls = MailSettings { smtp: Some("smtps://u:p@smtp.example.org:465".into()), ..MailSettings::default() };
        assert!(tls.check().is_ok());
    }

    #[tokio::test]
    async fn messages_are_signed_with_dkim_over_the_list_headers() {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = dir.path().join("dkim.key");
        // An Ed25519 key: the base64 of 32 bytes.
        std::fs::write(&key, "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=").expect("key");
        let dkim = DkimSettings {
            selector: "letters".into(),
            domain: "news.example".into(),
            key_file: key.clone(),
            algorithm: "ed25519".into(),
        };
        let settings = MailSettings { dkim: Some(dkim.clone()), ..MailSettings::default() };
        let mailer = Mailer::new(&settings, dir.path()).expect("mailer");
        mailer.send(&mail()).await.expect("written");
        let eml = std::fs::read_to_string(dir.path().join("outbox/edition-1-2.eml")).expect("the .eml file");
        let signature: String = eml
            .split("\r\n")
            .skip_while(|l| !l.starts_with("DKIM-Signature:"))
            .take_while(|l| l.starts_with("DKIM-Signature:") || l.starts_with(' ') || l.starts_with('\t'))
            .collect();
        assert!(signature.contains("a=ed25519-sha256") && signature.contains("d=news.example"), "{eml}");
        assert!(signature.contains("s=letters"), "{signature}");
        let signed = signature.split("h=").nth(1).unwrap_or("").to_ascii_lowercase();
        assert!(signed.contains("list-unsubscribe") && signed.contains("list-unsubscribe-post"), "{signature}");
        std::fs::write(&key, "not a key").expect("key");
        let err = MailSettings { dkim: Some(dkim), ..MailSettings::default() }.check().expect_err("refused");
        assert!(err.contains("mail.dkim.key_file") && !err.contains("not a key"), "{err}");
    }

    #[tokio::test]
    async fn without_a_server_messages_go_to_the_outbox() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mailer = Mailer::new(&MailSettings::default(), dir.path()).expect("mailer");
        assert!(!mailer.sends());
        mailer.send(&mail()).await.expect("written");
        let eml = std::fs::read_to_string(dir.path().join("outbox/edition-1-2.eml")).expect("the .eml file");
        assert!(eml.contains("Subject: Morning briefing: the ferry is back"), "{eml}");
        let refused = Mail { to: "nobody".into(), ..mail() };
        assert!(matches!(mailer.send(&refused).await, Err(Failure::Permanent(_))));
    }
}
