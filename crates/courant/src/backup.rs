//! `courant backup` and `courant restore`: the whole publication of an SQLite data folder in one
//! archive, made while the site is served, and put back into an empty folder.
//!
//! The archive is a tar file: `backup.json` first (what it holds: every table's rows and
//! checksum, the files and their bytes), then `courant.db` (a consistent copy of the store,
//! SQLite's `VACUUM INTO`), `courant.toml` when the folder has one, and the picture files under
//! `media/` and `originals/`. The store is copied before the pictures: a picture uploaded
//! meanwhile is in the archive without its row (harmless); one deleted meanwhile is missing and
//! named in the report. A restore checks every table against `backup.json` before it says done,
//! and leaves the folder empty again when anything fails.
//!
//! PostgreSQL is backed up with its own tools (`pg_dump`); pictures in a bucket, with the
//! bucket's. `courant backup` says so rather than doing half the job.

use crate::config::Config;
use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// What an archive holds, written first into it as `backup.json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `courant-backup`.
    pub format: String,
    /// The archive layout's version (1).
    pub version: u32,
    /// The version of Courant that made it.
    pub courant_version: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Every table of the store with its rows and checksum.
    pub tables: Vec<TableSum>,
    /// Picture files (served and originals), and their bytes.
    pub files: u64,
    pub file_bytes: u64,
    /// Whether `courant.toml` is in the archive.
    pub config: bool,
}

/// One table of a [`Manifest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableSum {
    pub table: String,
    pub rows: u64,
    /// A checksum of every value, comparable between stores read by the same version of Courant.
    pub checksum: u64,
}

const FORMAT: &str = "courant-backup";
const MANIFEST: &str = "backup.json";
const STORE: &str = courant_store::SQLITE_FILE;
const CONFIG: &str = "courant.toml";

/// What `courant backup` did.
pub struct BackupReport {
    pub manifest: Manifest,
    /// Files that went away between listing and copying (deleted pictures).
    pub vanished: Vec<PathBuf>,
    pub archive_bytes: u64,
}

/// Writes the publication of `data_dir` into the archive `out` (which must not exist). The
/// archive appears whole or not at all (written beside it, then renamed).
pub async fn backup(data_dir: &Path, config: &Config, out: &Path) -> anyhow::Result<BackupReport> {
    if let courant_store::Location::Postgres(_) = config.store.location(data_dir)? {
        bail!(
            "the store is PostgreSQL (store.url): back it up with its own tools, e.g. \
             `pg_dump --format=custom --file=courant.dump DATABASE`, and copy the picture folder (or the bucket) \
             beside it; see \"Backups\" in the README"
        );
    }
    if config.store.bucket.is_some() {
        bail!(
            "the pictures are in a bucket ([store.bucket]), which this command cannot copy consistently: back the \
             bucket up with its provider's tools (versioning or replication); see \"Backups\" in the README"
        );
    }
    if out.exists() {
        bail!("--out: {} exists already; name a new file (a backup never overwrites one)", out.display());
    }
    let store_file = data_dir.join(STORE);
    if !store_file.is_file() {
        bail!("there is no store in {}: nothing to back up (is --data right?)", data_dir.display());
    }
    let folder = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let work = tempfile::Builder::new()
        .prefix(".courant-backup-")
        .tempdir_in(folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;

    // The store first: one consistent copy, and what it holds.
    let store = crate::open_store(data_dir, config, false).await?;
    let snapshot = work.path().join(STORE);
    let copied = store.snapshot_into(&snapshot).await.context("cannot copy the store");
    store.close().await;
    copied?;
    let tables = table_sums(work.path()).await.context("cannot read the copy of the store")?;

    // Then the pictures.
    let files = crate::picture_files(&crate::media_folder(data_dir, config))?.into_iter().map(|p| {
        let name = format!("{}/{}", if p.original { "originals" } else { "media" }, p.name);
        (p.path, name)
    });
    let config_file = data_dir.join(CONFIG);
    let with_config = config_file.is_file();

    let partial = work.path().join("archive.tar");
    let file = std::fs::File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    let mut archive = tar::Builder::new(std::io::BufWriter::new(file));
    archive.mode(tar::HeaderMode::Deterministic);
    let bar = crate::bar("backing up");
    bar.set_length(files.len() as u64 + 2);
    let mut vanished = Vec::new();
    let mut staged = Vec::new();
    for (path, name) in files {
        // Sized now, before the manifest is written, so what vanished is left out of its counts.
        match std::fs::metadata(&path) {
            Ok(meta) => staged.push((name, meta.len(), path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => vanished.push(path),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        version: 1,
        courant_version: env!("CARGO_PKG_VERSION").into(),
        created_at: courant_render::clock::iso(
            time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or_else(|_| time::OffsetDateTime::now_utc()),
        ),
        tables,
        files: staged.len() as u64,
        file_bytes: staged.iter().map(|(_, n, _)| n).sum(),
        config: with_config,
    };
    let json = serde_json::to_vec_pretty(&manifest)?;
    append_bytes(&mut archive, MANIFEST, &json)?;
    archive.append_path_with_name(&snapshot, STORE).context("cannot add the store to the archive")?;
    bar.inc(1);
    if with_config {
        archive.append_path_with_name(&config_file, CONFIG).context("cannot add courant.toml to the archive")?;
    }
    bar.inc(1);
    for (name, _, path) in &staged {
        archive.append_path_with_name(path, name).with_context(|| {
            format!("cannot add {} to the archive (a picture deleted meanwhile? run the backup again)", path.display())
        })?;
        bar.inc(1);
    }
    let mut writer = archive.into_inner().context("cannot finish the archive")?;
    writer.flush()?;
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    file.sync_all().context("cannot write the archive to disk")?;
    drop(file);
    std::fs::rename(&partial, out).with_context(|| format!("cannot move the archive to {}", out.display()))?;
    bar.finish_and_clear();
    let archive_bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    Ok(BackupReport { manifest, vanished, archive_bytes })
}

/// What `courant restore` did.
pub struct RestoreReport {
    pub manifest: Manifest,
    /// Whether every table's checksum was compared (only between stores read by the same
    /// version of Courant; rows are always compared).
    pub checksums_compared: bool,
    /// `store.media_dir` of the restored `courant.toml`, which points away from the restored
    /// pictures in DATA/media.
    pub media_dir_elsewhere: Option<PathBuf>,
}

/// Restores the archive `file` into `data_dir`, which must be empty or not exist; checks the
/// store against the archive's manifest. On any failure the folder is left empty again.
pub async fn restore(file: &Path, data_dir: &Path) -> anyhow::Result<RestoreReport> {
    if data_dir.exists() {
        let mut entries = std::fs::read_dir(data_dir).with_context(|| format!("cannot read {}", data_dir.display()))?;
        if entries.next().is_some() {
            bail!("--data: {} is not empty; restore into a new or empty folder", data_dir.display());
        }
    }
    let created = !data_dir.exists();
    std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
    let restored = unpack_and_check(file, data_dir).await;
    if restored.is_err() {
        // Leave the folder as it was found: nothing half-restored.
        if created {
            let _ = std::fs::remove_dir_all(data_dir);
        } else if let Ok(entries) = std::fs::read_dir(data_dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                let _ = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
            }
        }
    }
    restored
}

async fn unpack_and_check(file: &Path, data_dir: &Path) -> anyhow::Result<RestoreReport> {
    let opened = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let size = opened.metadata().map(|m| m.len()).unwrap_or(0);
    let mut archive = tar::Archive::new(std::io::BufReader::new(opened));
    let bar = crate::bar("restoring");
    bar.set_length(size);
    let mut manifest: Option<Manifest> = None;
    let (mut files, mut file_bytes, mut store, mut config) = (0u64, 0u64, false, false);
    let entries = archive.entries().context("not a Courant backup: cannot read it as a tar archive")?;
    for entry in entries {
        let mut entry = entry.with_context(|| match manifest {
            None => "not a Courant backup: it does not begin as a tar archive does",
            Some(_) => "the archive is damaged or cut short: an entry cannot be read",
        })?;
        let name = entry.path().context("the archive is damaged: an entry's name is unreadable")?.into_owned();
        let text = name.to_string_lossy().into_owned();
        bar.set_position(entry.raw_file_position());
        if manifest.is_none() {
            if text != MANIFEST {
                bail!("not a Courant backup: it does not begin with {MANIFEST}");
            }
            let mut json = String::new();
            entry.read_to_string(&mut json).context("the archive is damaged: backup.json is unreadable")?;
            let m: Manifest = serde_json::from_str(&json).context("not a Courant backup: backup.json is unreadable")?;
            if m.format != FORMAT || m.version != 1 {
                bail!("not a Courant backup of a format this version reads ({} version {})", m.format, m.version);
            }
            manifest = Some(m);
            continue;
        }
        let allowed = text == STORE
            || text == CONFIG
            || ((text.starts_with("media/") || text.starts_with("originals/"))
                && name.components().all(|c| matches!(c, std::path::Component::Normal(_))));
        if !allowed || entry.header().entry_type() != tar::EntryType::Regular {
            bail!("the archive holds {text:?}, which is not part of a Courant backup: refused whole");
        }
        let bytes = entry.size();
        if !entry.unpack_in(data_dir).with_context(|| format!("cannot write {text} into {}", data_dir.display()))? {
            bail!("the archive names {text:?} outside the data folder: refused whole");
        }
        match text.as_str() {
            STORE => store = true,
            CONFIG => config = true,
            _ => {
                files += 1;
                file_bytes += bytes;
            }
        }
    }
    bar.finish_and_clear();
    let manifest = manifest.context("not a Courant backup: the archive is empty")?;
    if !store {
        bail!("the archive is incomplete: it holds no {STORE}");
    }
    if (files, file_bytes) != (manifest.files, manifest.file_bytes) || config != manifest.config {
        bail!(
            "the archive is incomplete: {files} picture files ({file_bytes} bytes) for the {} ({} bytes) it lists",
            manifest.files,
            manifest.file_bytes
        );
    }
    let tables = table_sums(data_dir).await.context("the restored store cannot be read")?;
    let checksums_compared = manifest.courant_version == env!("CARGO_PKG_VERSION");
    for want in &manifest.tables {
        let Some(got) = tables.iter().find(|t| t.table == want.table) else {
            bail!("the restored store lacks the table {}", want.table);
        };
        if got.rows != want.rows || (checksums_compared && got.checksum != want.checksum) {
            bail!(
                "the restored table {} differs from the backup ({} rows for {}, checksum {:016x} for {:016x})",
                want.table,
                got.rows,
                want.rows,
                got.checksum,
                want.checksum
            );
        }
    }
    let media_dir_elsewhere =
        if config { crate::config::load(data_dir, None).ok().and_then(|l| l.config.store.media_dir) } else { None };
    Ok(RestoreReport { manifest, checksums_compared, media_dir_elsewhere })
}

/// Every table's rows and checksum of the SQLite store in `dir`, read without migrating it.
async fn table_sums(dir: &Path) -> anyhow::Result<Vec<TableSum>> {
    let store = courant_store::Store::open_without_migrating(dir).await?;
    let problems = store.integrity_problems().await;
    let sums = store.checksums().await;
    store.close().await;
    let problems = problems?;
    if !problems.is_empty() {
        bail!("the store is damaged: {}", problems.join("; "));
    }
    Ok(sums?.into_iter().map(|t| TableSum { table: t.table, rows: t.rows, checksum: t.checksum }).collect())
}

fn append_bytes<W: Write>(archive: &mut tar::Builder<W>, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    archive.append_data(&mut header, name, bytes).with_context(|| format!("cannot add {name} to the archive"))?;
    Ok(())
}
