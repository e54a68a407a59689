#!/usr/bin/env node
// The "web browser" of the real-client tests: a client under test opens the authorization URL
// with `xdg-open <url>` (npm `open`), which, with no desktop in the environment, runs $BROWSER,
// which is a two-line shell script that runs this file with the test's Node.js:
//
//   headless-browser.mjs <authorization URL>
//
// It does what a user does in a browser: follows the redirects (keeping cookies), answers the
// host's consent page with "approve" (and on the `local` provider's page first types the user
// name and password from MCPH_BROWSER_USERNAME / MCPH_BROWSER_PASSWORD), lets the upstream
// identity provider sign in (it auto-approves), and finally loads the client's loopback redirect
// URI, which delivers the code to the client's callback listener. Each visit is appended as one
// JSON line to MCPH_BROWSER_LOG (the client runs it with stdio ignored, so that file is the only
// record): {authorizationUrl, redirectUri, steps: [{method, url, status}], callback: {url,
// status, body}} or {authorizationUrl, error}. Exit code 0 when the callback answered 2xx/3xx.
//
// Only loopback URLs are visited; every step is bounded (STEP_TIMEOUT_MS).
import { appendFileSync } from 'node:fs';

import { CookieJar, parseForms } from '../oauth/browser.mjs';

const STEP_TIMEOUT_MS = 10_000;
const MAX_STEPS = 25;

const logFile = process.env.MCPH_BROWSER_LOG;
const signIn = process.env.MCPH_BROWSER_USERNAME
  ? { username: process.env.MCPH_BROWSER_USERNAME, password: process.env.MCPH_BROWSER_PASSWORD ?? '' }
  : undefined;

function record(entry) {
  if (logFile) appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
  else process.stderr.write(`${JSON.stringify(entry)}\n`);
}

function isLoopback(url) {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/** The consent form's submission with `approve`, plus the sign-in fields when the form has them. */
function approval(html, pageUrl) {
  for (const form of parseForms(html)) {
    if (form.method !== 'post') continue;
    const button = form.buttons.find((b) => b.value === 'approve');
    if (!button) continue;
    const action = new URL(form.action || pageUrl.href, pageUrl);
    if (action.origin !== pageUrl.origin) throw new Error(`the consent form posts to another origin: ${action.href}`);
    const body = new URLSearchParams(form.fields);
    if (/<input\b[^>]*\btype\s*=\s*["']?password/i.test(html)) {
      if (!signIn) throw new Error(`the page asks for a password and MCPH_BROWSER_USERNAME is not set: ${pageUrl.href}`);
      body.append('username', signIn.username);
      body.append('password', signIn.password);
    }
    body.append(button.name, button.value);
    return { url: action, body };
  }
  return undefined;
}

async function main() {
  const authorizationUrl = process.argv[2];
  const entry = { authorizationUrl, steps: [] };
  try {
    if (!authorizationUrl) throw new Error('usage: headless-browser.mjs <url>');
    let url = new URL(authorizationUrl);
    const redirectUri = url.searchParams.get('redirect_uri');
    if (!redirectUri) throw new Error(`no redirect_uri in the authorization URL ${authorizationUrl}`);
    entry.redirectUri = redirectUri;
    const jar = new CookieJar();
    let post;
    for (let step = 0; step < MAX_STEPS; step++) {
      if (!isLoopback(url)) throw new Error(`the flow left the loopback interface: ${url.href}`);
      const headers = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
      const cookie = jar.header(url);
      if (cookie) headers.cookie = cookie;
      const init = { redirect: 'manual', headers, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) };
      if (post) {
        init.method = 'POST';
        init.body = post.toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
        headers.origin = url.origin;
      }
      post = undefined;
      const atCallback = url.href.startsWith(redirectUri);
      const res = await fetch(url, init);
      jar.store(url, res);
      const location = res.headers.get('location');
      entry.steps.push({ method: init.method ?? 'GET', url: url.href, status: res.status });
      if (atCallback) {
        // The client's own page after it received the code (it may redirect to a success page).
        const body = await res.text().catch(() => '');
        entry.callback = { url: url.href, status: res.status, body: body.slice(0, 500) };
        if (res.status >= 400) throw new Error(`the client's callback answered HTTP ${res.status}: ${body.slice(0, 500)}`);
        record(entry);
        return 0;
      }
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        url = new URL(location, url);
        continue;
      }
      const body = await res.text().catch(() => '');
      if (res.status === 200 && /^text\/html/i.test(res.headers.get('content-type') ?? '')) {
        const submission = approval(body, url);
        if (submission) {
          post = submission.body;
          url = submission.url;
          continue;
        }
      }
      throw new Error(`the flow stopped at ${url.href} with HTTP ${res.status}: ${body.slice(0, 1500)}`);
    }
    throw new Error(`more than ${MAX_STEPS} steps`);
  } catch (err) {
    entry.error = err?.stack ?? String(err);
    record(entry);
    return 1;
  }
}

process.exitCode = await main();
