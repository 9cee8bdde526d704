import { ApiError, buildUrl, onSessionExpired, request, setActingBusiness } from "./http";

function mockFetch(status: number, body?: unknown) {
  const fn = vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status }));
  vi.stubGlobal("fetch", fn);
  return fn;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setActingBusiness(null);
});

describe("http client", () => {
  it("drops empty query values and adds the acting business on tenant calls only", () => {
    setActingBusiness("b1");
    expect(buildUrl("/api/leads", { q: "", status: "new", page: 2 }, true)).toBe("/api/leads?status=new&page=2&business_id=b1");
    expect(buildUrl("/api/users", { business_id: undefined })).toBe("/api/users");
  });

  it("turns the error body into an ApiError with the stable code", async () => {
    mockFetch(403, { error: { code: "last_owner", message: "this is the only owner" } });
    const err = await request("/api/users/1", { method: "DELETE" }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 403, code: "last_owner" });
  });

  it("reports an expired session on 401 of a signed-in call, not of login", async () => {
    const seen = vi.fn();
    const off = onSessionExpired(seen);
    mockFetch(401, { error: { code: "unauthenticated", message: "" } });
    await request("/api/leads").catch(() => undefined);
    expect(seen).toHaveBeenCalledTimes(1);
    await request("/api/auth/login", { method: "POST", body: {}, anonymous: true }).catch(() => undefined);
    expect(seen).toHaveBeenCalledTimes(1);
    off();
  });

  it("answers undefined for 204", async () => {
    mockFetch(204);
    await expect(request("/api/leads/1", { method: "DELETE" })).resolves.toBeUndefined();
  });

  it("maps a network failure to network_error", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => { throw new TypeError("failed"); }));
    await expect(request("/api/leads")).rejects.toMatchObject({ code: "network_error" });
  });
});
