//! Newsroom users, their sessions and one-time password reset links. Passwords arrive hashed
//! and tokens arrive as hashes: the store never sees a secret it could leak.

use super::Store;
use super::{Db, DbRow};
use super::newsroom::audit;
use crate::types::*;
use crate::{StoreError, ts};
use courant_core::*;
use sqlx::{Row, Transaction};
use time::OffsetDateTime;

const USER_COLUMNS: &str =
    "u.id, u.email, u.name, u.role, u.author_id, u.disabled, u.must_change_password, u.created_at";

fn user(row: &DbRow) -> Result<User, StoreError> {
    let role: String = row.try_get("role")?;
    Ok(User {
        id: UserId(row.try_get("id")?),
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("user role {role:?}")))?,
        author_id: row.try_get::<Option<i64>, _>("author_id")?.map(AuthorId),
        disabled: row.try_get("disabled")?,
        must_change_password: row.try_get("must_change_password")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Emails are compared without regard to case or surrounding spaces.
fn normal_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    /// Creates a user; `by` is the admin who did it (none from the command line).
    pub async fn insert_user(&self, new: &NewUser, by: Option<UserId>, at: OffsetDateTime) -> Result<User, StoreError> {
        let email = normal_email(&new.email);
        check_email(&email)?;
        if new.name.trim().is_empty() {
            return Err(Invalid { field: "name", message: "a user needs a name".into() }.into());
        }
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "INSERT INTO users (email, name, role, password_hash, author_id, must_change_password, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             RETURNING id, email, name, role, author_id, disabled, must_change_password, created_at",
        )
        .bind(&email)
        .bind(new.name.trim())
        .bind(new.role.as_str())
        .bind(&new.password_hash)
        .bind(new.author_id.map(|a| a.0))
        .bind(new.must_change_password)
        .bind(ts(at))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                Invalid { field: "email", message: format!("{email} already has an account") }.into()
            }
            _ => super::taxonomy::missing_reference(e, "author"),
        })?;
        let created = user(&row)?;
        audit(&mut tx, at, by, AuditAction::UserCreated, None, &created.email, created.role.as_str()).await?;
        self.commit(tx).await?;
        Ok(created)
    }

    /// The user with this id.
    pub async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(&mut *self.read.get().await?).await?;
        row.as_ref().map(user).transpose()
    }

    /// The user with this email and their password hash, for logging in.
    pub async fn user_for_login(&self, email: &str) -> Result<Option<LoginCandidate>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(normal_email(email))
            .fetch_optional(&mut *self.read.get().await?)
            .await?;
        match row {
            Some(row) => Ok(Some(LoginCandidate { user: user(&row)?, password_hash: row.try_get("password_hash")? })),
            None => Ok(None),
        }
    }

    /// The user with this email.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        Ok(self.user_for_login(email).await?.map(|c| c.user))
    }

    /// The password hash of a user, to check their current password.
    pub async fn password_hash(&self, id: UserId) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *self.read.get().await?)
            .await?)
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name, u.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *self.read.get().await?).await?;
        rows.iter().map(user).collect()
    }

    /// How many users there are.
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *self.read.get().await?).await?)
    }

    /// Changes a user's name, role, byline and whether they may log in; role changes and
    /// disabling are logged, and a disabled user's sessions end at once.
    pub async fn update_user(
        &self,
        id: UserId,
        update: &UserUpdate,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<User, StoreError> {
        if update.name.trim().is_empty() {
            return Err(Invalid { field: "name", message: "a user needs a name".into() }.into());
        }
        let mut tx = self.begin().await?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let before = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .as_ref()
            .map(user)
            .transpose()?
            .ok_or(StoreError::NotFound("user"))?;
        let row = sqlx::query(
            "UPDATE users SET name = $1, role = $2, author_id = $3, disabled = $4 WHERE id = $5 \
             RETURNING id, email, name, role, author_id, disabled, must_change_password, created_at",
        )
        .bind(update.name.trim())
        .bind(update.role.as_str())
        .bind(update.author_id.map(|a| a.0))
        .bind(update.disabled)
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| super::taxonomy::missing_reference(e, "author"))?;
        let after = user(&row)?;
        if before.role != after.role {
            let detail = format!("{} → {}", before.role, after.role);
            audit(&mut tx, at, by, AuditAction::RoleChanged, None, &after.email, &detail).await?;
        }
        if before.disabled != after.disabled {
            let action = if after.disabled { AuditAction::UserDisabled } else { AuditAction::UserEnabled };
            audit(&mut tx, at, by, action, None, &after.email, "").await?;
        }
        if after.disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.0).execute(&mut *tx).await?;
        }
        self.commit(tx).await?;
        Ok(after)
    }

    /// Sets a user's password (already hashed). Every session of the user ends except `keep`,
    /// the one that changed it.
    pub async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        must_change: bool,
        keep: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(must_change)
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("user"));
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(id.0)
            .bind(keep.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        void_password_links(&mut tx, id.0).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Starts a session for a user, known by the hash of its cookie token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(csrf_token)
        .bind(ts(at))
        .bind(ts(expires_at))
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// The user of a live session and the session's CSRF token; none when the session is
    /// unknown, expired, or its user is disabled.
    pub async fn session(&self, token_hash: &str, now: OffsetDateTime) -> Result<Option<SessionUser>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(ts(now))
            .fetch_optional(&mut *self.read.get().await?)
            .await?;
        match row {
            Some(row) => Ok(Some(SessionUser { user: user(&row)?, csrf_token: row.try_get("csrf_token")? })),
            None => Ok(None),
        }
    }

    /// Ends one session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.write).await?;
        Ok(())
    }

    /// Ends every session of a user (logout everywhere); returns how many there were.
    pub async fn delete_sessions(&self, user: UserId) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .execute(&self.write)
            .await?
            .rows_affected())
    }

    /// Forgets expired sessions and reset links.
    pub async fn prune_sessions(&self, now: OffsetDateTime) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(ts(now)).execute(&self.write).await?;
        // Failed logins are counted over a quarter of an hour; a day is ample.
        sqlx::query("DELETE FROM login_failures WHERE first_at <= $1")
            .bind(ts(now - time::Duration::days(1)))
            .execute(&self.write)
            .await?;
        sqlx::query("DELETE FROM password_resets WHERE expires_at <= $1").bind(ts(now)).execute(&self.write).await?;
        Ok(())
    }

    /// Records a one-time password reset link for a user (by the hash of its token).
    pub async fn create_password_reset(
        &self,
        token_hash: &str,
        user: &User,
        by: Option<UserId>,
        at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(user.id.0)
            .bind(ts(expires_at))
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, at, by, AuditAction::PasswordReset, None, &user.email, "link issued").await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The user a live, unused reset link belongs to.
    pub async fn password_reset_user(&self, token_hash: &str, now: OffsetDateTime) -> Result<Option<User>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM password_resets r JOIN users u ON u.id = r.user_id \
             WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND NOT u.disabled"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(ts(now))
            .fetch_optional(&mut *self.read.get().await?)
            .await?;
        row.as_ref().map(user).transpose()
    }

    /// Uses a reset link: sets the new password and ends every session of the user, once. A
    /// second use, or an expired link, is refused.
    pub async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<User, StoreError> {
        let mut tx = self.begin().await?;
        let user_id: i64 = sqlx::query_scalar(
            "UPDATE password_resets SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
        )
        .bind(ts(now))
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("reset link"))?;
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = FALSE WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        void_password_links(&mut tx, user_id).await?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_one(&mut *tx).await?;
        let u = user(&row)?;
        audit(&mut tx, now, Some(u.id), AuditAction::PasswordReset, None, &u.email, "link used").await?;
        self.commit(tx).await?;
        Ok(u)
    }
}

impl Store {
    /// Counts one login attempt under each of `keys`, before its password is checked, and
    /// answers with the counts it made: concurrent attempts each see their own number, so no
    /// more than the limit ever reach the check. A count begun before `window_start` starts
    /// again at one. One transaction, one statement per key.
    pub async fn count_login_attempt(
        &self,
        keys: &[String],
        now: OffsetDateTime,
        window_start: OffsetDateTime,
    ) -> Result<Vec<FailureCount>, StoreError> {
        let mut tx = self.begin().await?;
        let mut counted = Vec::with_capacity(keys.len());
        for key in keys {
            let failures: i64 = sqlx::query_scalar(
                "INSERT INTO login_failures (key, failures, first_at) VALUES ($1, 1, $2) \
                 ON CONFLICT (key) DO UPDATE SET \
                 failures = CASE WHEN login_failures.first_at <= $3 THEN 1 ELSE login_failures.failures + 1 END, \
                 first_at = CASE WHEN login_failures.first_at <= $3 THEN excluded.first_at ELSE login_failures.first_at END \
                 RETURNING failures",
            )
            .bind(key)
            .bind(ts(now))
            .bind(ts(window_start))
            .fetch_one(&mut *tx)
            .await?;
            counted.push(FailureCount { key: key.clone(), failures });
        }
        self.commit(tx).await?;
        Ok(counted)
    }

    /// Takes back one attempt counted under `key` (a login that succeeded is not a failure).
    pub async fn forgive_login_attempt(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE login_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0")
            .bind(key)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Forgets the failed logins counted under `key` (after a successful login).
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(&self.write).await?;
        Ok(())
    }
}

/// Voids every reset link of a user not used yet: a new password, however it was set, leaves no
/// other way in.
async fn void_password_links(tx: &mut Transaction<'_, Db>, user_id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
