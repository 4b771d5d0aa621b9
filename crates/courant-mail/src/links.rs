//! Signed links: what a link in an email lets its reader do (confirm a subscription, change or
//! leave it) is written in the link with an HMAC-SHA256 of it under the publication's key, so
//! nobody can make one for an address that is not theirs. Confirmations expire; preferences and
//! unsubscribe links do not (an unsubscribe link must work as long as the emails that carry it).

use ring::hmac;

/// What a link is for; part of what is signed, so one kind of link is never another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Confirm,
    Manage,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Confirm => "confirm",
            Purpose::Manage => "manage",
        }
    }
}

/// What a confirmation link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub subscriber: i64,
    pub lists: Vec<i64>,
    /// Unix time after which it is refused.
    pub expires: i64,
}

/// A token for `subscriber` (at `email`): `ID.LISTS.EXPIRES.SIGNATURE` for a confirmation,
/// `ID.SIGNATURE` for preferences and unsubscribing.
pub fn sign(key: &[u8], purpose: Purpose, email: &str, subscriber: i64, confirm: Option<(&[i64], i64)>) -> String {
    let body = match confirm {
        Some((lists, expires)) => {
            let lists: Vec<String> = lists.iter().map(i64::to_string).collect();
            format!("{subscriber}.{}.{expires}", lists.join("-"))
        }
        None => subscriber.to_string(),
    };
    format!("{body}.{}", hex(mac(key, purpose, email, &body).as_ref()))
}

/// The subscriber a token names, before it is checked (the check needs its address).
pub fn subscriber_of(token: &str) -> Option<i64> {
    token.split('.').next()?.parse().ok()
}

/// Checks a preferences/unsubscribe token for the subscriber at `email`.
pub fn check_manage(key: &[u8], token: &str, email: &str) -> bool {
    let Some((body, sig)) = token.rsplit_once('.') else { return false };
    !body.contains('.') && verify(key, Purpose::Manage, email, body, sig)
}

/// Checks a confirmation token for the subscriber at `email` at unix time `now`.
pub fn check_confirm(key: &[u8], token: &str, email: &str, now: i64) -> Option<Confirmation> {
    let (body, sig) = token.rsplit_once('.')?;
    if !verify(key, Purpose::Confirm, email, body, sig) {
        return None;
    }
    let mut parts = body.split('.');
    let subscriber = parts.next()?.parse().ok()?;
    let lists = parts.next()?;
    let expires: i64 = parts.next()?.parse().ok()?;
    let lists = if lists.is_empty() {
        Vec::new()
    } else {
        lists.split('-').map(str::parse).collect::<Result<Vec<i64>, _>>().ok()?
    };
    (parts.next().is_none() && now <= expires).then_some(Confirmation { subscriber, lists, expires })
}

fn mac(key: &[u8], purpose: Purpose, email: &str, body: &str) -> hmac::Tag {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    hmac::sign(&key, format!("{}|{email}|{body}", purpose.as_str()).as_bytes())
}

fn verify(key: &[u8], purpose: Purpose, email: &str, body: &str, sig: &str) -> bool {
    let Some(bytes) = unhex(sig) else { return false };
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    hmac::verify(&key, format!("{}|{email}|{body}", purpose.as_str()).as_bytes(), &bytes).is_ok()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"a key of the publication, 32 bytes";

    #[test]
    fn confirmations_carry_their_lists_and_expire() {
        let token = sign(KEY, Purpose::Confirm, "a@example.org", 7, Some((&[1, 3], 1000)));
        let c = check_confirm(KEY, &token, "a@example.org", 999).expect("valid");
        assert_eq!(c, Confirmation { subscriber: 7, lists: vec![1, 3], expires: 1000 });
        assert_eq!(subscriber_of(&token), Some(7));
        assert!(check_confirm(KEY, &token, "a@example.org", 1001).is_none(), "expired");
        assert!(check_confirm(KEY, &token, "b@example.org", 999).is_none(), "another address");
        assert!(check_confirm(b"another key", &token, "a@example.org", 999).is_none());
        let forged = token.replacen("7.1-3", "7.1-2-3", 1);
        assert!(check_confirm(KEY, &forged, "a@example.org", 999).is_none(), "lists cannot be added");
        assert!(!check_manage(KEY, &token, "a@example.org"), "a confirmation is not a preferences link");
    }

    #[test]
    fn preferences_links_are_for_one_address() {
        let token = sign(KEY, Purpose::Manage, "a@example.org", 7, None);
        assert!(check_manage(KEY, &token, "a@example.org"));
        assert!(!check_manage(KEY, &token, "b@example.org"));
        assert!(!check_manage(KEY, &token.replacen('7', "8", 1), "a@example.org"));
        assert!(check_confirm(KEY, &token, "a@example.org", 0).is_none());
        for junk in ["", ".", "7.", "7.zz", "7.abc", "x.y.z.w"] {
            assert!(
                !check_manage(KEY, junk, "a@example.org") && check_confirm(KEY, junk, "a@example.org", 0).is_none()
            );
        }
    }
}
