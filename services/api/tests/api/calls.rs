//! Calls over HTTP: the call log with filters, one call with transcript, the
//! recordings proxy and outbound calls, against the fake Twilio REST API; every
//! id-taking endpoint answers 404 for another business's call or lead.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use prosaas_api::rate_limit::LoginLimiter;
use prosaas_api::startup::{ApiState, AppParts, Application};
use prosaas_common::Settings;
use prosaas_events::BusHandle;
use prosaas_fakes::FakeApis;
use prosaas_fakes::apis::RECORDING_BYTES;
use prosaas_tenant::domain::{Business, LeadSource, LeadStatus, NewLead};
use prosaas_tenant::repo::calls::{
    self, CallDirection, CallStatus, NewCall, Speaker, TranscriptTurn,
};
use prosaas_tenant::repo::leads;
use prosaas_tenant::{Db, LeadId, system};
use prosaas_test_support::TestDatabase;
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::helpers::*;

const ACCOUNT: &str = "AC00000000000000000000000000000009";
const TOKEN: &str = "api-test-token";
const PLATFORM: &str = "+15005550009";

async fn spawn_with_twilio() -> AnyResult<(TestApp, FakeApis)> {
    prosaas_common::telemetry::init_for_tests();
    let apis = FakeApis::start(ACCOUNT, TOKEN).await?;
    let tdb = TestDatabase::new().await?;
    let db = Db::connect(&SecretString::from(tdb.app_url()), 5)?;
    let vars = [
        ("DATABASE_URL", tdb.app_url()),
        ("REDIS_URL", redis_url()),
        ("PUBLIC_BASE_URL", "https://crm.prosaas.test".to_string()),
        ("TWILIO_ACCOUNT_SID", ACCOUNT.into()),
        ("TWILIO_AUTH_TOKEN", TOKEN.into()),
        ("TWILIO_API_BASE", apis.base_url.clone()),
        ("TWILIO_PHONE_NUMBER", PLATFORM.into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let settings = Settings::from_map(&vars)?;
    let bus = BusHandle::connect(SecretString::from(redis_url())).await;
    let mut state = ApiState::from_settings(&settings, bus.clone());
    state.limiter = LoginLimiter::with_prefix(
        bus,
        &format!("rl-test-{}", uuid::Uuid::new_v4()),
        1000,
        3,
        Duration::from_secs(60),
    );
    let parts = AppParts {
        db: db.clone(),
        state: Arc::new(state),
    };
    let app = Application::serve(TcpListener::bind("127.0.0.1:0")?, parts)?;
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    Ok((
        TestApp {
            base,
            db,
            _tdb: tdb,
            http: reqwest::Client::new(),
        },
        apis,
    ))
}

async fn lead(app: &TestApp, b: &Business, phone: Option<&str>) -> AnyResult<LeadId> {
    let scope = system::operator_scope(&app.db, b.id, "test").await?;
    let lead = leads::create(
        &app.db,
        &scope,
        NewLead {
            name: "Dana".into(),
            phone: phone.map(prosaas_common::E164Phone::parse).transpose()?,
            email: None,
            source: LeadSource::Manual,
            status: LeadStatus::New,
            notes: String::new(),
            assigned_user_id: None,
        },
    )
    .await?;
    Ok(lead.id)
}

async fn seed_call(
    app: &TestApp,
    b: &Business,
    sid: &str,
    direction: CallDirection,
    lead_id: Option<LeadId>,
) -> AnyResult<String> {
    let scope = system::operator_scope(&app.db, b.id, "test").await?;
    let call = calls::create(
        &app.db,
        &scope,
        NewCall {
            direction,
            call_sid: Some(sid.into()),
            from_phone: "+15005550100".into(),
            to_phone: "+15005550001".into(),
            status: CallStatus::Completed,
            lead_id,
        },
    )
    .await?;
    let turns = [TranscriptTurn {
        role: Speaker::Caller,
        text: "שלום".into(),
        at_ms: Some(100),
    }];
    calls::save_transcript(&app.db, &scope, call.id, &turns, Some(850)).await?;
    Ok(call.id.to_string())
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn call_log_filters_and_never_shows_another_business() -> TestResult {
    let (app, _apis) = spawn_with_twilio().await?;
    let t = two_tenants(&app).await?;
    let dana = lead(&app, &t.a, Some("+15005550100")).await?;
    let a_in = seed_call(&app, &t.a, "CA01", CallDirection::Inbound, Some(dana)).await?;
    let a_out = seed_call(&app, &t.a, "CA02", CallDirection::Outbound, None).await?;
    let b_in = seed_call(&app, &t.b, "CA03", CallDirection::Inbound, None).await?;
    let s = app.login("agent@a.test").await?;

    let (st, page) = app.get(&s, "/api/calls").await?;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(page["total"], 2);
    let listed = ids(&page);
    assert!(listed.contains(&a_in) && listed.contains(&a_out) && !listed.contains(&b_in));
    assert!(
        page["items"][0].get("transcript").is_none(),
        "lists carry no transcript"
    );
    assert!(
        page["items"][0].get("recording_sid").is_none(),
        "never exposed"
    );

    for (query, want) in [
        ("direction=inbound", vec![a_in.clone()]),
        ("direction=outbound", vec![a_out.clone()]),
        (&format!("lead_id={dana}") as &str, vec![a_in.clone()]),
        ("status=no-answer", vec![]),
        (
            "from=2000-01-01&to=2999-12-31",
            vec![a_out.clone(), a_in.clone()],
        ),
        ("to=2000-01-01", vec![]),
        ("per_page=1&page=2", vec![a_in.clone()]),
    ] {
        let (st, page) = app.get(&s, &format!("/api/calls?{query}")).await?;
        assert_eq!(st, StatusCode::OK, "{query}");
        let mut got = ids(&page);
        let mut want = want;
        if !query.starts_with("per_page") {
            got.sort();
            want.sort();
        }
        assert_eq!(got, want, "{query}");
    }
    for bad in [
        "direction=sideways",
        "status=done",
        "from=yesterday",
        "per_page=500",
        "lead_id=x",
    ] {
        let (st, body) = app.get(&s, &format!("/api/calls?{bad}")).await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::BAD_REQUEST, "invalid_query"),
            "{bad}"
        );
    }

    let (st, call) = app.get(&s, &format!("/api/calls/{a_in}")).await?;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(call["transcript"][0]["role"], "caller");
    assert_eq!(call["transcript"][0]["text"], "שלום");
    assert_eq!(call["first_response_ms"], 850);
    assert_eq!(call["lead_id"], json!(dana));
    for path in [
        format!("/api/calls/{b_in}"),
        format!("/api/calls/{b_in}/recording"),
    ] {
        let (st, body) = app.get(&s, &path).await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::NOT_FOUND, "call_not_found"),
            "{path}"
        );
    }
    let (st, _) = app
        .call(None, reqwest::Method::GET, "/api/calls", None)
        .await?;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    // a system admin sees B's calls only by naming B
    let root = app.login("root@prosaas.test").await?;
    let (st, page) = app
        .get(&root, &format!("/api/calls?business_id={}", t.b.id))
        .await?;
    assert_eq!((st, ids(&page)), (StatusCode::OK, vec![b_in.clone()]));
    Ok(())
}

#[tokio::test]
async fn recording_is_streamed_through_the_server_with_its_credentials() -> TestResult {
    let (app, apis) = spawn_with_twilio().await?;
    let t = two_tenants(&app).await?;
    let with = seed_call(&app, &t.a, "CA11", CallDirection::Inbound, None).await?;
    let without = seed_call(&app, &t.a, "CA12", CallDirection::Inbound, None).await?;
    let scope = system::operator_scope(&app.db, t.a.id, "test").await?;
    calls::set_recording(
        &app.db,
        &scope,
        with.parse()?,
        "RE00000000000000000000000000000011",
        "https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE11",
        Some(9),
    )
    .await?;
    let s = app.login("agent@a.test").await?;
    let res = app
        .http
        .get(format!("{}/api/calls/{with}/recording", app.base))
        .header("cookie", s.cookie.clone().unwrap_or_default())
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("audio/mpeg")
    );
    assert_eq!(res.bytes().await?.as_ref(), RECORDING_BYTES);
    let fetched = apis
        .requests()
        .into_iter()
        .find(|r| {
            r.path
                .ends_with("/Recordings/RE00000000000000000000000000000011.mp3")
        })
        .ok_or("twilio asked")?;
    assert!(fetched.authorized);
    let (st, body) = app
        .get(&s, &format!("/api/calls/{without}/recording"))
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::NOT_FOUND, "recording_not_found")
    );
    let (st, _) = app
        .call(
            None,
            reqwest::Method::GET,
            &format!("/api/calls/{with}/recording"),
            None,
        )
        .await?;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    Ok(())
}

#[tokio::test]
async fn outbound_call_goes_through_twilio_from_the_business_number() -> TestResult {
    let (app, apis) = spawn_with_twilio().await?;
    let t = two_tenants(&app).await?;
    let cross = system::operator_cross_tenant(&app.db, "test").await?;
    prosaas_tenant::repo::businesses::update_any(
        &app.db,
        &cross,
        t.a.id,
        prosaas_tenant::domain::BusinessChanges {
            twilio_phone_number: Some(Some(prosaas_common::E164Phone::parse("+15005550001")?)),
            ..Default::default()
        },
    )
    .await?;
    let dana = lead(&app, &t.a, Some("+15005550100")).await?;
    let no_phone = lead(&app, &t.a, None).await?;
    let b_lead = lead(&app, &t.b, Some("+15005550101")).await?;
    let s = app.login("agent@a.test").await?;

    let (st, call) = app.post(&s, "/api/calls", json!({"lead_id": dana})).await?;
    assert_eq!(st, StatusCode::CREATED, "{call}");
    assert_eq!(
        (
            call["direction"].as_str(),
            call["status"].as_str(),
            call["lead_id"].clone()
        ),
        (Some("outbound"), Some("queued"), json!(dana))
    );
    let sid = call["call_sid"].as_str().ok_or("call_sid set")?.to_string();
    let create = apis
        .requests()
        .into_iter()
        .find(|r| r.path == format!("/2010-04-01/Accounts/{ACCOUNT}/Calls.json"))
        .ok_or("twilio create call")?;
    assert!(create.authorized);
    assert_eq!(create.field("To"), Some("+15005550100"));
    assert_eq!(create.field("From"), Some("+15005550001"));
    assert_eq!(
        create.field("Url"),
        Some("https://crm.prosaas.test/webhook/incoming_call")
    );
    assert_eq!(
        create.field("StatusCallback"),
        Some("https://crm.prosaas.test/webhook/call_status")
    );
    assert_eq!(
        create
            .form
            .iter()
            .filter(|(k, _)| k == "StatusCallbackEvent")
            .count(),
        4
    );
    let (st, got) = app
        .get(
            &s,
            &format!("/api/calls/{}", call["id"].as_str().unwrap_or("")),
        )
        .await?;
    assert_eq!(
        (st, got["call_sid"].as_str()),
        (StatusCode::OK, Some(sid.as_str()))
    );

    let (st, body) = app
        .post(&s, "/api/calls", json!({"lead_id": b_lead}))
        .await?;
    assert_eq!((st, code(&body)), (StatusCode::NOT_FOUND, "lead_not_found"));
    let (st, body) = app
        .post(&s, "/api/calls", json!({"lead_id": no_phone}))
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "lead_has_no_phone")
    );
    let (st, _) = app
        .post(&s, "/api/calls", json!({"lead_id": "nope"}))
        .await?;
    assert!(st.is_client_error());

    // a business without its own number calls from the platform number
    let sb = app.login("agent@b.test").await?;
    let (st, _) = app
        .post(&sb, "/api/calls", json!({"lead_id": b_lead}))
        .await?;
    assert_eq!(st, StatusCode::CREATED);
    let last = apis
        .requests()
        .into_iter()
        .rfind(|r| r.path.ends_with("/Calls.json"))
        .ok_or("second create")?;
    assert_eq!(last.field("From"), Some(PLATFORM));

    // Twilio refusing is a 502 with its reason; the call is marked failed
    apis.fail_next_create(400, 21211, "The 'To' number is not a valid phone number.");
    let (st, body) = app.post(&s, "/api/calls", json!({"lead_id": dana})).await?;
    assert_eq!((st, code(&body)), (StatusCode::BAD_GATEWAY, "twilio_error"));
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("not a valid phone number")
    );
    let (_, page) = app.get(&s, "/api/calls?status=failed").await?;
    assert_eq!(page["total"], 1);
    Ok(())
}
