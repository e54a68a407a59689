// A headless "browser" for OAuth tests: follows an authorization URL through the authorization
// server's redirects (its login and consent pages auto-approve), keeping cookies like a browser,
// and stops at the first redirect to the client's redirect URI, which it returns without
// fetching (there is nothing listening there: the URL is "captured" as a native app's loopback
// listener would capture it).
const DEFAULT_MAX_REDIRECTS = 20;
const DEFAULT_STEP_TIMEOUT_MS = 10_000;

/** A minimal RFC 6265 cookie jar: name, path, host-only, Max-Age/Expires deletion. */
export class CookieJar {
  constructor() {
    /** @type {Map<string, {name: string, value: string, host: string, path: string, expires: number}>} */
    this.cookies = new Map();
  }

  /** Stores the Set-Cookie headers of `response`, received for `url`. */
  store(url, response) {
    const { hostname, pathname } = new URL(url);
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attrs] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = pathname.slice(0, pathname.lastIndexOf('/')) || '/';
      let expires = Infinity;
      for (const attr of attrs) {
        const [k, ...v] = attr.split('=');
        const key = k.trim().toLowerCase();
        const val = v.join('=').trim();
        if (key === 'path' && val.startsWith('/')) path = val;
        else if (key === 'max-age' && /^-?\d+$/.test(val)) expires = Date.now() + Number(val) * 1000;
        else if (key === 'expires' && expires === Infinity) expires = Date.parse(val) || Infinity;
      }
      const id = `${hostname}|${path}|${name}`;
      if (expires <= Date.now()) this.cookies.delete(id);
      else this.cookies.set(id, { name, value, host: hostname, path, expires });
    }
  }

  /** The Cookie header for a request to `url` (undefined: none). */
  header(url) {
    const { hostname, pathname } = new URL(url);
    const now = Date.now();
    const matching = [...this.cookies.values()]
      .filter((c) => c.host === hostname && c.expires > now)
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }
}

/**
 * "Opens" `authorizationUrl` and returns the URL the authorization server finally redirects to
 * that starts with `redirectUriPrefix` (not fetched). Fails with the page's status and text if the
 * server answers anything but a redirect on the way (an error page, a form).
 * @param {string|URL} authorizationUrl
 * @param {object} opts
 * @param {string} opts.redirectUriPrefix  the client's redirect_uri (what counts as "back at the app")
 * @param {CookieJar} [opts.jar]           a browser profile to reuse (a new one by default)
 * @param {number} [opts.maxRedirects]
 * @param {number} [opts.stepTimeoutMs]
 * @returns {Promise<URL>}
 */
export async function followAuthorization(authorizationUrl, opts) {
  const {
    redirectUriPrefix,
    jar = new CookieJar(),
    maxRedirects = DEFAULT_MAX_REDIRECTS,
    stepTimeoutMs = DEFAULT_STEP_TIMEOUT_MS,
  } = opts;
  let url = new URL(authorizationUrl);
  const visited = [];
  for (let hop = 0; hop <= maxRedirects; hop++) {
    if (url.href.startsWith(redirectUriPrefix)) return url;
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      throw new Error(`the authorization flow left the loopback interface: ${url.href}`);
    }
    visited.push(url.href);
    const headers = { accept: 'text/html,application/json;q=0.9' };
    const cookie = jar.header(url);
    if (cookie) headers.cookie = cookie;
    const res = await fetch(url, { redirect: 'manual', headers, signal: AbortSignal.timeout(stepTimeoutMs) });
    jar.store(url, res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      url = new URL(location, url);
      continue;
    }
    const body = await res.text().catch(() => '');
    throw new Error(
      `the authorization flow stopped at ${url.href} with HTTP ${res.status} instead of redirecting to ` +
        `${redirectUriPrefix}: ${body.slice(0, 2000)}\nvisited: ${visited.join('\n  -> ')}`,
    );
  }
  throw new Error(`more than ${maxRedirects} redirects in the authorization flow:\n  ${visited.join('\n  -> ')}`);
}
