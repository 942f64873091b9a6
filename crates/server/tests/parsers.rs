//! Property tests (issue 7, random input) of everything the server parses from a client: the
//! client address behind proxies, article keys and rating items, and the boot and rating-read
//! query strings. Each property is checked on generated input, valid and hostile alike.
#![allow(clippy::unwrap_used)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use axum::http::{HeaderMap, HeaderValue};
use bangtin_api::{
    form_encode, parse_item, validate_article, BadArticle, Boot, BootWidget, GetRatings, RatingKey,
    Scale, ITEM_PARAM, MAX_ARTICLE_CHARS, READER_PARAM, WIDGET_PARAM,
};
use bangtin_server::limit::TrustedProxies;
use bangtin_server::rating::normalize_article;
use proptest::prelude::*;
use unicode_normalization::{is_nfc, UnicodeNormalization};

// ---------------------------------------------------------------------------------------------
// Client addresses

const PROXIES: [&str; 3] = ["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"];

fn proxies() -> TrustedProxies {
    TrustedProxies::parse(&PROXIES.map(str::to_owned)).unwrap()
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

fn trusted(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.octets()[0] == 10 || v4 == Ipv4Addr::new(192, 0, 2, 7),
        IpAddr::V6(v6) => v6.segments()[..2] == [0x2001, 0x0db8],
    }
}

/// One of our proxies: in 10.0.0.0/8 (also IPv4-mapped), 192.0.2.7, or in 2001:db8::/32.
fn our_proxy() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<[u8; 3]>().prop_map(|[a, b, c]| IpAddr::V4(Ipv4Addr::new(10, a, b, c))),
        Just(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7))),
        any::<u64>().prop_map(|low| {
            IpAddr::V6(Ipv6Addr::from((0x2001_0db8_u128 << 96) | u128::from(low)))
        }),
        any::<[u8; 3]>()
            .prop_map(|[a, b, c]| IpAddr::V6(Ipv4Addr::new(10, a, b, c).to_ipv6_mapped())),
    ]
}

/// Anyone else: any address that is not one of our proxies.
fn stranger() -> impl Strategy<Value = IpAddr> {
    prop_oneof![any::<IpAddr>(), any::<Ipv4Addr>().prop_map(IpAddr::V4)].prop_map(|ip| {
        if trusted(ip) {
            IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1))
        } else {
            ip
        }
    })
}

/// Addresses of every kind: our proxies and strangers.
fn address() -> impl Strategy<Value = IpAddr> {
    prop_oneof![our_proxy(), stranger()]
}

/// How a proxy may write an address: bare, with a port, with spaces around.
fn written(ip: IpAddr) -> impl Strategy<Value = String> {
    (0u8..4, any::<u16>()).prop_map(move |(form, port)| match form {
        0 => ip.to_string(),
        1 => SocketAddr::new(ip, port).to_string(),
        2 => format!("  {ip}\t"),
        _ => format!(" {} ", SocketAddr::new(ip, port)),
    })
}

/// A chain of addresses, written in any of the forms, spread over one to three headers.
fn chain() -> impl Strategy<Value = (Vec<IpAddr>, Vec<String>)> {
    prop::collection::vec(address(), 0..6)
        .prop_flat_map(|ips| {
            let written: Vec<_> = ips.iter().map(|ip| written(*ip)).collect();
            (Just(ips), written, prop::collection::vec(any::<bool>(), 6))
        })
        .prop_map(|(ips, written, splits)| {
            let mut headers = vec![String::new()];
            for (n, entry) in written.iter().enumerate() {
                let current = headers.last_mut().unwrap();
                if !current.is_empty() {
                    if splits[n] {
                        headers.push(entry.clone());
                        continue;
                    }
                    current.push(',');
                }
                current.push_str(entry);
            }
            (ips, headers)
        })
}

fn header_map(values: &[String]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for value in values {
        headers.append("x-forwarded-for", HeaderValue::from_str(value).unwrap());
    }
    headers
}

/// What `client_ip` must answer for a well-formed chain: the rightmost hop that is not one of
/// our proxies, walking from the peer; the leftmost when every hop is ours.
fn expected_client(peer: IpAddr, chain: &[IpAddr]) -> IpAddr {
    let mut client = canonical(peer);
    if !trusted(client) {
        return client;
    }
    for hop in chain.iter().rev() {
        client = canonical(*hop);
        if !trusted(client) {
            return client;
        }
    }
    client
}

/// Any header value a client can send (visible ASCII, spaces, tabs and obs-text bytes).
fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            8 => 0x20u8..0x7f,
            1 => Just(b'\t'),
            1 => 0x80u8..=0xff,
            2 => Just(b','),
            2 => prop::sample::select(b"0123456789.:[]abcdef".to_vec()),
        ],
        0..60,
    )
}

/// What a forwarded entry may be read as (the forms `client_ip` accepts).
fn entry_address(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_client_is_the_rightmost_hop_that_is_not_our_proxy(
        peer in address(),
        (ips, headers) in chain(),
    ) {
        let got = proxies().client_ip(Some(peer), &header_map(&headers));
        prop_assert_eq!(got, Some(expected_client(peer, &ips)));
    }

    #[test]
    fn a_peer_that_is_not_our_proxy_is_the_client_whatever_it_forwards(
        peer in stranger(),
        values in prop::collection::vec(header_value(), 0..3),
    ) {
        let mut headers = HeaderMap::new();
        for value in values {
            if let Ok(value) = HeaderValue::from_bytes(&value) {
                headers.append("x-forwarded-for", value);
            }
        }
        prop_assert_eq!(proxies().client_ip(Some(peer), &headers), Some(canonical(peer)));
        prop_assert_eq!(proxies().client_ip(None, &headers), None);
    }

    #[test]
    fn whatever_a_client_writes_left_of_its_own_address_changes_nothing(
        client in stranger(),
        spoofed in prop::collection::vec(header_value(), 0..4),
        ours in prop::collection::vec(our_proxy(), 0..3),
        same_header in any::<bool>(),
    ) {
        // Our proxies append what they saw: to the client's own header, or as a header of
        // their own.
        let honest = std::iter::once(client)
            .chain(ours)
            .map(|ip| ip.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let mut values: Vec<Vec<u8>> = spoofed;
        match values.last_mut() {
            Some(last) if same_header => last.extend_from_slice(format!(", {honest}").as_bytes()),
            _ => values.push(honest.into_bytes()),
        }
        let mut headers = HeaderMap::new();
        for value in &values {
            headers.append("x-forwarded-for", HeaderValue::from_bytes(value).unwrap());
        }
        let peer = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        prop_assert_eq!(proxies().client_ip(Some(peer), &headers), Some(canonical(client)));
    }

    #[test]
    fn garbage_never_panics_and_never_invents_an_address(
        peer in address(),
        values in prop::collection::vec(header_value(), 0..4),
    ) {
        let mut headers = HeaderMap::new();
        let mut written = Vec::new();
        for value in values {
            if let Ok(value) = HeaderValue::from_bytes(&value) {
                written.extend(
                    value
                        .as_bytes()
                        .split(|b| *b == b',')
                        .filter_map(|e| std::str::from_utf8(e).ok())
                        .map(|e| e.trim_matches([' ', '\t']).to_owned()),
                );
                headers.append("x-forwarded-for", value);
            }
        }
        if let Some(ip) = proxies().client_ip(Some(peer), &headers) {
            let named = ip == canonical(peer)
                || written.iter().any(|e| entry_address(e).map(canonical) == Some(ip));
            prop_assert!(named, "{ip} is neither the peer nor forwarded: {written:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Article keys and rating items

/// Characters that make keys odd but valid: Vietnamese (composed and combining), zero-width and
/// bidi characters, CJK, emoji, punctuation, inner spaces.
const ODD: &str = concat!(
    "[a-zA-Z0-9/._~:?#&=%+ ếệăđơư",
    "\u{0300}-\u{0323}\u{200B}-\u{200D}\u{202A}-\u{202E}\u{2066}-\u{2069}\u{FEFF}\u{3000}",
    "\u{4E00}-\u{4E20}\u{1F600}-\u{1F610}-]"
);

/// Article keys the server must accept: mostly short, some up to the length limit.
fn valid_article() -> impl Strategy<Value = String> {
    let short = proptest::string::string_regex(&format!("{ODD}{{0,40}}")).unwrap();
    let long =
        proptest::string::string_regex(&format!("{ODD}{{0,{}}}", MAX_ARTICLE_CHARS - 2)).unwrap();
    prop_oneof![4 => short, 1 => long].prop_map(|s| format!("/{s}x"))
}

/// Any text at all, control characters included.
fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..100).prop_map(String::from_iter)
}

/// Keys of every kind: valid, anything, too long, padded.
fn article_like() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => valid_article(),
        2 => any_text(),
        1 => proptest::string::string_regex(&format!("{ODD}{{505,520}}")).unwrap(),
        1 => valid_article().prop_map(|s| format!(" {s}")),
        // U+0958 is excluded from composition: NFC makes each one two characters.
        1 => (1usize..400).prop_map(|n| format!("/{}", "\u{0958}".repeat(n))),
    ]
}

fn scale() -> impl Strategy<Value = Scale> {
    prop::sample::select(Scale::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn an_article_is_accepted_exactly_with_1_to_512_chars_no_controls_no_outer_whitespace(
        article in article_like(),
    ) {
        let chars = article.chars().count();
        let expected = if article.is_empty() {
            Err(BadArticle::Empty)
        } else if chars > MAX_ARTICLE_CHARS {
            Err(BadArticle::TooLong)
        } else if article.chars().any(char::is_control) || article.trim() != article {
            Err(BadArticle::BadCharacters)
        } else {
            Ok(())
        };
        prop_assert_eq!(validate_article(&article), expected);
    }

    #[test]
    fn a_control_char_anywhere_is_refused(
        article in valid_article(),
        at in any::<prop::sample::Index>(),
        control in prop_oneof![0u32..0x20, 0x7fu32..0xa0].prop_map(|c| char::from_u32(c).unwrap()),
    ) {
        let mut chars: Vec<char> = article.chars().collect();
        chars.insert(at.index(chars.len() + 1), control);
        let bad: String = chars.into_iter().collect();
        prop_assert!(validate_article(&bad).is_err());
        prop_assert!(normalize_article(&bad).is_err());
    }

    #[test]
    fn normalized_keys_are_nfc_valid_and_normalize_to_themselves(article in article_like()) {
        if let Ok(normal) = normalize_article(&article) {
            prop_assert!(is_nfc(&normal));
            prop_assert_eq!(validate_article(&normal), Ok(()));
            prop_assert_eq!(normalize_article(&normal), Ok(normal.clone()));
            prop_assert!(validate_article(&article).is_ok(), "only valid keys are normalized");
        }
    }

    #[test]
    fn nfc_and_nfd_spellings_of_a_key_are_one_key(article in valid_article()) {
        let nfc: String = article.nfc().collect();
        let nfd: String = article.nfd().collect();
        if let (Ok(a), Ok(b)) = (normalize_article(&nfc), normalize_article(&nfd)) {
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes(
        n in 1usize..700,
        wide in prop::sample::select(vec!["a", "ă", "ệ", "語", "😀"]),
    ) {
        let article = wide.repeat(n);
        prop_assert_eq!(validate_article(&article).is_ok(), n <= MAX_ARTICLE_CHARS);
    }

    #[test]
    fn every_rating_key_reads_back_from_its_item(article in valid_article(), scale in scale()) {
        let key = RatingKey { article: article.clone(), scale };
        let item = key.item();
        prop_assert_eq!(parse_item(&item), Ok((scale, article.as_str())));
    }

    #[test]
    fn an_item_is_read_only_as_a_known_scale_a_colon_and_a_valid_article(
        item in prop_oneof![
            any_text(),
            (scale(), article_like()).prop_map(|(s, a)| format!("{}:{a}", s.as_str())),
            (any_text(), article_like()).prop_map(|(s, a)| format!("{s}:{a}")),
        ],
    ) {
        match parse_item(&item) {
            Ok((scale, article)) => {
                prop_assert_eq!(format!("{}:{article}", scale.as_str()), item.clone());
                prop_assert_eq!(validate_article(article), Ok(()));
            }
            Err(_) => {
                let readable = item.split_once(':').is_some_and(|(s, a)| {
                    Scale::parse(s).is_some() && validate_article(a).is_ok()
                });
                prop_assert!(!readable, "{item:?} refused");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Query strings

fn decode(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

fn boot_from(query: &str) -> Result<Boot, bangtin_api::BadBoot> {
    let pairs = decode(query);
    Boot::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
}

fn boot_widget() -> impl Strategy<Value = BootWidget> {
    (
        prop_oneof![Just("rating".to_owned()), any_text()],
        prop::collection::vec(
            (
                prop_oneof![
                    prop::sample::select(vec!["article", "scale", "page", "reader"])
                        .prop_map(str::to_owned),
                    any_text(),
                ]
                .prop_filter("w starts a widget", |name| name != WIDGET_PARAM),
                article_like(),
            ),
            0..4,
        ),
    )
        .prop_map(|(kind, params)| BootWidget { kind, params })
}

fn boot() -> impl Strategy<Value = Boot> {
    (
        prop::option::of(article_like()),
        prop::option::of(any_text()),
        prop::collection::vec(boot_widget(), 1..8),
    )
        .prop_map(|(page, reader, widgets)| Boot {
            page,
            reader,
            widgets,
        })
}

/// Query strings as a client may write them: pairs of odd text, and bare `%`, `+`, `&`, `=`.
fn raw_query() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("w=rating".to_owned()),
            Just("&".to_owned()),
            Just("=".to_owned()),
            Just("%".to_owned()),
            Just("%FF".to_owned()),
            Just("+".to_owned()),
            Just("page=".to_owned()),
            Just("reader=a".to_owned()),
            Just("w".to_owned()),
            "[a-z%&=+0-9]{0,8}",
            article_like().prop_map(|s| form_urlencoded::byte_serialize(s.as_bytes()).collect()),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn form_encode_writes_what_url_search_params_writes(text in any_text()) {
        let mut ours = String::new();
        form_encode(&text, &mut ours);
        let standard: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
        prop_assert_eq!(ours, standard);
    }

    #[test]
    fn a_boot_request_reads_back_from_its_query(boot in boot()) {
        prop_assert_eq!(boot_from(&boot.query()), Ok(boot));
    }

    #[test]
    fn every_boot_query_the_server_reads_writes_back_to_the_same_request(query in raw_query()) {
        if let Ok(boot) = boot_from(&query) {
            prop_assert_eq!(boot_from(&boot.query()), Ok(boot));
        }
    }

    #[test]
    fn a_rating_read_reads_back_from_its_query(
        reader in prop::option::of(any_text()),
        keys in prop::collection::vec((article_like(), scale()), 0..10),
    ) {
        let read = GetRatings {
            reader: reader.clone(),
            items: keys
                .iter()
                .map(|(article, scale)| RatingKey { article: article.clone(), scale: *scale })
                .collect(),
        };
        let mut expected: Vec<(String, String)> = Vec::new();
        if let Some(reader) = reader {
            expected.push((READER_PARAM.to_owned(), reader));
        }
        for (article, scale) in &keys {
            expected.push((ITEM_PARAM.to_owned(), format!("{}:{article}", scale.as_str())));
        }
        let pairs = decode(&read.query());
        prop_assert_eq!(&pairs, &expected);
        let items = pairs.iter().skip(usize::from(read.reader.is_some()));
        for ((_, item), (article, scale)) in items.zip(&keys) {
            if validate_article(article).is_ok() {
                prop_assert_eq!(parse_item(item), Ok((*scale, article.as_str())));
            }
        }
    }
}
