//! The newsroom's people and the publication's settings: admins add users (with a one-time
//! password), change their role, byline and status, and issue password links; the command line
//! does the same for the first admin; everyone changes their own password, or sets one through
//! a link. Each action is one store transaction with its audit entry.

use crate::secrets::{hash_password, one_time_password, token, token_hash, verify_password};
use crate::{FieldError, Newsroom, Refusal};
use courant_core::*;
use courant_store::{NewUser, UserUpdate};
use time::{Duration, OffsetDateTime};

/// How long a password link works.
pub const RESET_HOURS: i64 = 24;

/// Someone to add to the newsroom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// What an admin changes about a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFields {
    pub name: String,
    pub role: Role,
    /// The byline they write under.
    pub author: Option<AuthorId>,
    /// A disabled user cannot log in, and their sessions end at once; their work stays.
    pub disabled: bool,
}

impl Newsroom {
    /// Adds a user with a one-time password (returned, to be handed over once); they choose
    /// their own at first login. `by` is the admin who adds them, or none for the operator at
    /// the command line (how the first admin is made).
    pub async fn create_user(&self, by: Option<&User>, new: NewMember) -> Result<(User, String), Refusal> {
        by.map(admin).transpose()?;
        let password = one_time_password();
        let password_hash = hash_password(password.clone())
            .await
            .map_err(|source| Refusal::Failed { context: "hashing a password failed", source })?;
        let new = NewUser {
            email: new.email.trim().to_string(),
            name: new.name.trim().to_string(),
            role: new.role,
            password_hash,
            must_change_password: true,
            author_id: None,
        };
        let user = self
            .store
            .insert_user(&new, by.map(|u| u.id), OffsetDateTime::now_utc())
            .await
            .map_err(Refusal::from_store)?;
        tracing::info!(user = user.id.0, by = by.map(|u| u.id.0), role = new.role.as_str(), "user created");
        Ok((user, password))
    }

    /// Changes a user's name, role, byline or status. An admin cannot demote or disable
    /// themselves: someone must stay admin.
    pub async fn update_user(&self, by: &User, id: UserId, f: MemberFields) -> Result<User, Refusal> {
        admin(by)?;
        if id == by.id && (f.role != Role::Admin || f.disabled) {
            return Err(Refusal::invalid("Role", "you cannot demote or disable yourself; ask another admin."));
        }
        let update =
            UserUpdate { name: f.name.trim().to_string(), role: f.role, author_id: f.author, disabled: f.disabled };
        let now = OffsetDateTime::now_utc();
        self.store.update_user(id, &update, Some(by.id), now).await.map_err(Refusal::from_store)
    }

    /// Issues a one-time link token (valid [`RESET_HOURS`]) for the user to choose a new
    /// password; only its hash is stored. `by` is the admin, or none for the command line.
    pub async fn password_link(&self, by: Option<&User>, user: &User) -> Result<String, Refusal> {
        by.map(admin).transpose()?;
        let token = token();
        let now = OffsetDateTime::now_utc();
        let expires = now + Duration::hours(RESET_HOURS);
        self.store.create_password_reset(&token_hash(&token), user, by.map(|u| u.id), now, expires).await?;
        Ok(token)
    }

    /// Stores a publication setting (its JSON text, checked by whoever reads it), logged in the
    /// audit log and as a change of the whole site.
    pub async fn save_setting(&self, by: &User, key: &str, value: &str) -> Result<(), Refusal> {
        admin(by)?;
        Ok(self.store.set_setting(key, value, by.id, OffsetDateTime::now_utc()).await?)
    }
}

/// A new password as typed twice.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword {
    pub password: String,
    pub repeated: String,
}

impl std::fmt::Debug for NewPassword {
    /// Never the password itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    /// Checks the password against the rules and that both typings match.
    fn check(&self, field: &str) -> Result<(), Refusal> {
        if let Err(e) = check_password(&self.password) {
            return Err(Refusal::invalid(field, e.message));
        }
        if self.password != self.repeated {
            return Err(Refusal::Invalid(vec![FieldError::new(field, "the two typings differ.")]));
        }
        Ok(())
    }
}

impl Newsroom {
    /// Sets a new password for `by`, after checking their current one (not asked when they must
    /// change a one-time password); their other sessions end, `keep_session` (a session token's
    /// hash) stays.
    pub async fn change_password(
        &self,
        by: &User,
        current: &str,
        new: &NewPassword,
        keep_session: &str,
    ) -> Result<(), Refusal> {
        if !by.must_change_password {
            let hash = self.store.password_hash(by.id).await?.unwrap_or_default();
            if !verify_password(current.to_string(), hash).await {
                return Err(Refusal::invalid("Current password", "it is not right."));
            }
        }
        new.check("New password")?;
        let hash = hash_password(new.password.clone())
            .await
            .map_err(|source| Refusal::Failed { context: "hashing a password failed", source })?;
        Ok(self.store.set_password(by.id, &hash, false, Some(keep_session)).await?)
    }

    /// Sets a password through a one-time link (`token` as the link carries it) and uses the
    /// link up; every session of the user ends. Answers with the user, to log them in.
    pub async fn reset_password(&self, token: &str, new: &NewPassword) -> Result<User, Refusal> {
        let hash = token_hash(token);
        let now = OffsetDateTime::now_utc();
        self.store.password_reset_user(&hash, now).await?.ok_or(Refusal::NotFound("password link"))?;
        new.check("Password")?;
        let new_hash = hash_password(new.password.clone())
            .await
            .map_err(|source| Refusal::Failed { context: "hashing a password failed", source })?;
        match self.store.use_password_reset(&hash, &new_hash, now).await {
            Err(courant_store::StoreError::NotFound(_)) => Err(Refusal::NotFound("password link")),
            done => Ok(done?),
        }
    }
}

/// Users and settings are admins' business.
fn admin(by: &User) -> Result<(), Refusal> {
    if by.is(Role::Admin) {
        Ok(())
    } else {
        Err(Refusal::Forbidden(format!("This needs the admin role; you are {}.", by.role)))
    }
}
