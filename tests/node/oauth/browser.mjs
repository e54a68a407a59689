// A headless "browser" for OAuth tests: follows an authorization URL through the authorization
// server's redirects (its login and consent pages auto-approve), keeping cookies like a browser,
// and stops at the first redirect to the client's redirect URI, which it returns without
// fetching (there is nothing listening there: the URL is "captured" as a native app's loopback
// listener would capture it).
//
// With `consent: 'approve'` or `'deny'` it also answers a consent page on the way, as a user
// clicks a button: the page's form (`<form method="post">` with hidden inputs such as `ticket`
// and `csrf_token` and `<button name="decision" value="approve|deny">`) is posted back,
// url-encoded, with the browser's cookies, and the redirect that follows is followed as before.
// That is mcp-host's own consent page in proxy mode: approve → the upstream identity provider
// (which signs in and consents automatically) → the host's /oauth/callback → the client.
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

const HTML_ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#34': '"' };

/** Decodes the HTML entities a server escapes attribute values with. */
function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
    return HTML_ENTITIES[lower] ?? whole;
  });
}

/** The attributes of one start tag (`<input a="b" c='d' e=f g>`), names lower-cased. */
function attributes(tag) {
  const attrs = {};
  const re = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  const inner = tag.replace(/^<\s*[a-z]+/i, '').replace(/\/?>$/, '');
  let m;
  while ((m = re.exec(inner))) attrs[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  return attrs;
}

/**
 * The forms of an HTML page: {action, method, fields: [[name, value]] of the hidden inputs,
 * buttons: [{name, value}]} each. Enough for the server-rendered pages of an authorization flow
 * (no scripts); not a general HTML parser.
 */
export function parseForms(html) {
  const forms = [];
  for (const m of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form\s*>/gi)) {
    const formTag = /^<form\b[^>]*>/i.exec(m[0])[0];
    const { action = '', method = 'get' } = attributes(formTag);
    const fields = [];
    const buttons = [];
    for (const tag of m[1].matchAll(/<(input|button)\b[^>]*>/gi)) {
      const a = attributes(tag[0]);
      const type = (a.type ?? (tag[1].toLowerCase() === 'button' ? 'submit' : 'text')).toLowerCase();
      if (a.name === undefined) continue;
      if (type === 'hidden') fields.push([a.name, a.value ?? '']);
      else if (type === 'submit') buttons.push({ name: a.name, value: a.value ?? '' });
    }
    forms.push({ action, method: method.toLowerCase(), fields, buttons });
  }
  return forms;
}

/**
 * The request that clicking `decision` on a consent page sends, or undefined when the page has
 * no form with that button. Only forms that post to the page's own origin are submitted.
 */
function consentSubmission(html, pageUrl, decision) {
  for (const form of parseForms(html)) {
    if (form.method !== 'post') continue;
    const button = form.buttons.find((b) => b.value === decision);
    if (!button) continue;
    const action = new URL(form.action || pageUrl.href, pageUrl);
    if (action.origin !== pageUrl.origin) {
      throw new Error(`the consent form posts to another origin: ${action.href} (page ${pageUrl.href})`);
    }
    const body = new URLSearchParams(form.fields);
    body.append(button.name, button.value);
    return { url: action, body, form };
  }
  return undefined;
}

/**
 * "Opens" `authorizationUrl` and returns the URL the authorization server finally redirects to
 * that starts with `redirectUriPrefix` (not fetched). Fails with the page's status and text if the
 * server answers anything but a redirect on the way (an error page, a form it is not told to
 * answer).
 * @param {string|URL} authorizationUrl
 * @param {object} opts
 * @param {string} opts.redirectUriPrefix  the client's redirect_uri (what counts as "back at the app")
 * @param {CookieJar} [opts.jar]           a browser profile to reuse (a new one by default)
 * @param {'approve'|'deny'} [opts.consent] answer a consent page with this button (default: a page
 *                                          on the way is an error)
 * @param {Array<object>} [opts.trace]     receives one entry per response: {method, url, status,
 *                                          headers, body} (body: the text of non-redirects)
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
    consent,
    trace,
  } = opts;
  let url = new URL(authorizationUrl);
  /** The form body of the next request when it is a consent form post, else undefined (a GET). */
  let post;
  const visited = [];
  for (let hop = 0; hop <= maxRedirects; hop++) {
    if (url.href.startsWith(redirectUriPrefix)) return url;
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      throw new Error(`the authorization flow left the loopback interface: ${url.href}`);
    }
    visited.push(post ? `POST ${url.href}` : url.href);
    const headers = { accept: 'text/html,application/json;q=0.9' };
    const cookie = jar.header(url);
    if (cookie) headers.cookie = cookie;
    const init = { redirect: 'manual', headers, signal: AbortSignal.timeout(stepTimeoutMs) };
    if (post) {
      init.method = 'POST';
      init.body = post.body.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = url.origin; // as a browser sends on a form post (no Referer: the pages say no-referrer)
    }
    const method = init.method ?? 'GET';
    post = undefined;
    const res = await fetch(url, init);
    jar.store(url, res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      trace?.push({ method, url: url.href, status: res.status, headers: Object.fromEntries(res.headers), body: '' });
      url = new URL(location, url);
      continue;
    }
    const body = await res.text().catch(() => '');
    trace?.push({ method, url: url.href, status: res.status, headers: Object.fromEntries(res.headers), body });
    if (consent && res.status === 200 && /^text\/html/i.test(res.headers.get('content-type') ?? '')) {
      const submission = consentSubmission(body, url, consent);
      if (submission) {
        post = { body: submission.body };
        url = submission.url;
        continue;
      }
    }
    throw new Error(
      `the authorization flow stopped at ${url.href} with HTTP ${res.status} instead of redirecting to ` +
        `${redirectUriPrefix}: ${body.slice(0, 2000)}\nvisited: ${visited.join('\n  -> ')}`,
    );
  }
  throw new Error(`more than ${maxRedirects} redirects in the authorization flow:\n  ${visited.join('\n  -> ')}`);
}
