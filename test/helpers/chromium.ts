/**
 * A headless Chromium driven over the DevTools protocol (with `ws`, no browser library): pages opened from
 * `file://`, scripts evaluated in them, screenshots, a narrow viewport, key presses, and every console error or
 * uncaught exception the pages report.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import WebSocket from 'ws';
import { tempDir } from './fixtures.js';

/** How long a chromium start may take before the tests give up on it (and end it). */
export const LAUNCH_MS = 150_000;

/** The Chromium binary on PATH (Debian's `chromium`), or undefined. */
export function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

type Pending = { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void; method: string };

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(method: string, params: Record<string, unknown>) => void>();
  /** Console errors and uncaught exceptions, with the page they came from. */
  readonly errors: string[] = [];
  private session = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly ws: WebSocket,
    private readonly profile: string,
  ) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: Record<string, unknown>; error?: { message: string }; method?: string; params?: Record<string, unknown> };
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${p.method}: ${msg.error.message}`));
        else p?.resolve(msg.result ?? {});
      } else if (msg.method) for (const l of [...this.listeners]) l(msg.method, msg.params ?? {});
    });
    this.listeners.add((method, params) => {
      if (method === 'Runtime.exceptionThrown') this.errors.push(`exception: ${JSON.stringify((params['exceptionDetails'] as { text?: string; exception?: { description?: string } }) ?? {}).slice(0, 300)}`);
      if (method === 'Runtime.consoleAPICalled' && (params['type'] === 'error' || params['type'] === 'assert')) this.errors.push(`console.${String(params['type'])}: ${JSON.stringify(params['args']).slice(0, 300)}`);
      if (method === 'Log.entryAdded') {
        const entry = params['entry'] as { level: string; text: string; url?: string };
        if (entry.level === 'error') this.errors.push(`log: ${entry.text} ${entry.url ?? ''}`);
      }
    });
  }

  static async launch(binary: string): Promise<Browser> {
    const profile = tempDir('sac-chromium-');
    const child = spawn(binary, ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--hide-scrollbars', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const endpoint = await new Promise<string>((resolve, reject) => {
      let err = '';
      // Chromium takes 13 s to start on this machine on a slow day with nothing else running, and more than 30 s
      // beside the suite's other workers: a start that fails does so at once (the exit below), so the wait is long.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`chromium did not start in ${LAUNCH_MS / 1000} s: ${err.slice(-500)}`));
      }, LAUNCH_MS);
      child.stderr!.on('data', (d) => {
        err += String(d);
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`chromium exited ${code}: ${err.slice(-500)}`));
      });
    });
    const ws = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const browser = new Browser(child, ws, profile);
    const { targetId } = (await browser.send('Target.createTarget', { url: 'about:blank' }, '')) as { targetId: string };
    const { sessionId } = (await browser.send('Target.attachToTarget', { targetId, flatten: true }, '')) as { sessionId: string };
    browser.session = sessionId;
    await browser.send('Page.enable');
    await browser.send('Runtime.enable');
    await browser.send('Log.enable');
    return browser;
  }

  send(method: string, params: Record<string, unknown> = {}, session = this.session): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.ws.send(JSON.stringify({ id, method, params, ...(session ? { sessionId: session } : {}) }));
    });
  }

  /** The next event of this method (set up before what causes it). */
  waitFor(method: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(on);
        reject(new Error(`no ${method} in ${timeoutMs} ms`));
      }, timeoutMs);
      const on = (m: string, params: Record<string, unknown>) => {
        if (m !== method) return;
        clearTimeout(timer);
        this.listeners.delete(on);
        resolve(params);
      };
      this.listeners.add(on);
    });
  }

  /** Opens a URL and waits for its load event. */
  async open(url: string): Promise<void> {
    const loaded = this.waitFor('Page.loadEventFired');
    const r = (await this.send('Page.navigate', { url })) as { errorText?: string };
    if (r.errorText) throw new Error(`${url}: ${r.errorText}`);
    await loaded;
  }

  /** The value of a JavaScript expression in the page (JSON-serialisable), awaiting a promise. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as { result: { value: T }; exceptionDetails?: { text: string; exception?: { description?: string } } };
    if (r.exceptionDetails) throw new Error(`evaluate: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** A PNG of the viewport (or of the whole page). */
  async screenshot(fullPage = false): Promise<Buffer> {
    const r = (await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: fullPage })) as { data: string };
    return Buffer.from(r.data, 'base64');
  }

  async viewport(width: number, height: number, mobile = false): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile });
  }

  /** A key pressed and released, as a keyboard user presses it (Tab moves the focus, Enter submits a form). */
  async press(key: 'Tab' | 'Enter'): Promise<void> {
    const code = key === 'Tab' ? 9 : 13;
    const text = key === 'Enter' ? { text: '\r', unmodifiedText: '\r' } : {};
    await this.send('Input.dispatchKeyEvent', { type: key === 'Enter' ? 'keyDown' : 'rawKeyDown', key, code: key, windowsVirtualKeyCode: code, nativeVirtualKeyCode: code, ...text });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code: key, windowsVirtualKeyCode: code, nativeVirtualKeyCode: code });
  }

  /** Text typed into the focused element, as key input (input events fire). */
  async type(text: string): Promise<void> {
    for (const ch of text) await this.send('Input.dispatchKeyEvent', { type: 'char', text: ch });
  }

  async close(): Promise<void> {
    try {
      await this.send('Browser.close', {}, '');
    } catch {
      // already closing
    }
    this.ws.terminate();
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 5000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    rmSync(this.profile, { recursive: true, force: true });
  }
}
