//! Who the client is, as far as throttling is concerned: the TCP peer, or,
//! when the peer is a reverse proxy the operator trusts
//! (`stint serve --trust-proxy CIDR[,CIDR]`), the address that proxy put in
//! `X-Forwarded-For`.
//!
//! Anyone can send `X-Forwarded-For`, so it is read only from a trusted
//! peer, and only as far as trusted proxies wrote it: walking the header
//! from the right, each trusted hop vouches for the entry before it, and
//! the first address that is not itself a trusted proxy is the client.
//! What the client wrote further left is never looked at, so a forged
//! header cannot buy a fresh throttle budget.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::error::AppError;
use crate::state::AppState;

/// One network, `10.0.0.0/8` or `fd00::/8`; a bare address is one host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                mask(u32::from(ip).into(), 32, self.prefix) == u32::from(net).into()
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                mask(u128::from(ip), 128, self.prefix) == u128::from(net)
            }
            _ => false,
        }
    }
}

/// `bits` (an address `width` bits wide) with all but the first `prefix`
/// bits cleared.
fn mask(bits: u128, width: u8, prefix: u8) -> u128 {
    let host = width - prefix;
    if host >= 128 { 0 } else { bits >> host << host }
}

impl FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let net = addr
            .parse::<IpAddr>()
            .map_err(|_| format!("'{s}' is not a CIDR range like 10.0.0.0/8 or fd00::/8"))?
            .to_canonical();
        let width = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(|| format!("'{s}': the prefix length must be 0 to {width}"))?,
        };
        // Host bits are cleared, as most proxies' configurations do, so
        // `10.1.2.3/8` means `10.0.0.0/8`.
        let net = match net {
            IpAddr::V4(v4) => {
                IpAddr::V4(Ipv4Addr::from(mask(u32::from(v4).into(), 32, prefix) as u32))
            }
            IpAddr::V6(v6) => IpAddr::V6(mask(u128::from(v6), 128, prefix).into()),
        };
        Ok(Cidr { net, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.net, self.prefix)
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed; none by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client behind `peer`: `peer` itself unless it is a trusted
    /// proxy; then the right-most `X-Forwarded-For` address that is not a
    /// trusted proxy. If the proxies' part of the header ends without one
    /// (no header, only proxies, or an entry that is not an address), the
    /// last trusted hop is the client: it is the furthest anyone vouches for.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.contains(client) {
            return client;
        }
        // Several header lines are one list, in order (RFC 9110 §5.3).
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for hop in hops.into_iter().rev() {
            let Some(ip) = parse_hop(hop) else { break };
            client = ip;
            if !self.contains(ip) {
                break;
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, possibly `[v6]` or with a port
/// (some proxies add one).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    let ip = hop
        .parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| hop.strip_prefix('[')?.strip_suffix(']')?.parse().ok())?;
    Some(ip.to_canonical())
}

impl FromStr for TrustedProxies {
    type Err = String;
    /// `CIDR[,CIDR...]`, as `--trust-proxy` and `STINT_TRUST_PROXY` take it.
    fn from_str(s: &str) -> Result<Self, String> {
        let ranges = s
            .split(',')
            .filter(|part| !part.trim().is_empty())
            .map(Cidr::from_str)
            .collect::<Result<Vec<_>, _>>()?;
        if ranges.is_empty() {
            return Err("expected CIDR[,CIDR...], e.g. 10.0.0.0/8".into());
        }
        Ok(TrustedProxies(ranges))
    }
}

/// The client's address for throttling, per the server's trusted proxies.
/// Without a TCP peer (the app called in-process) every caller is one
/// client, `0.0.0.0`.
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(ClientAddr(
            st.throttle.proxies().client(peer, &parts.headers),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn ranges_parse_and_match() {
        let p: TrustedProxies = "10.0.0.0/8, 192.168.1.7 ,fd00::/8".parse().unwrap();
        assert!(p.contains(ip("10.200.0.1")));
        assert!(p.contains(ip("192.168.1.7")));
        assert!(!p.contains(ip("192.168.1.8")));
        assert!(p.contains(ip("fd12::1")));
        assert!(!p.contains(ip("fe80::1")));
        // A v4 peer seen on a dual-stack socket is still a v4 address.
        assert!(p.contains(ip("::ffff:10.1.1.1")));
        assert_eq!(
            "10.1.2.3/8".parse::<Cidr>().unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert!("0.0.0.0/0".parse::<Cidr>().unwrap().contains(ip("1.2.3.4")));
        assert!("::/0".parse::<Cidr>().unwrap().contains(ip("2001:db8::1")));
    }

    #[test]
    fn bad_ranges_say_what_is_wrong() {
        for bad in [
            "",
            " , ",
            "10.0.0.0/33",
            "fd00::/129",
            "10.0.0/8",
            "example.com",
            "10.0.0.0/x",
        ] {
            let e = bad.parse::<TrustedProxies>().unwrap_err();
            assert!(!e.is_empty(), "{bad}");
        }
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let p: TrustedProxies = "127.0.0.1/32".parse().unwrap();
        assert_eq!(
            p.client(ip("198.51.100.1"), &xff(&["203.0.113.7"])),
            ip("198.51.100.1")
        );
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("127.0.0.1"), &xff(&["203.0.113.7"])),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let p: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        let peer = ip("10.0.0.2");
        // The client forged the left-most entry; the proxies appended theirs.
        let h = xff(&["1.1.1.1, 203.0.113.7", "10.0.0.9"]);
        assert_eq!(p.client(peer, &h), ip("203.0.113.7"));
        assert_eq!(
            p.client(peer, &xff(&["203.0.113.7:5123"])),
            ip("203.0.113.7")
        );
        assert_eq!(
            p.client(peer, &xff(&["[2001:db8::7]:443"])),
            ip("2001:db8::7")
        );
        // Nothing usable beyond the proxies: the last trusted hop.
        assert_eq!(p.client(peer, &HeaderMap::new()), peer);
        assert_eq!(p.client(peer, &xff(&["10.0.0.5"])), ip("10.0.0.5"));
        assert_eq!(
            p.client(peer, &xff(&["203.0.113.7, garbage, 10.0.0.5"])),
            ip("10.0.0.5")
        );
    }
}
