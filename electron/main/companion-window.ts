// The one tray window: created hidden, hidden again on close (the tray keeps running), destroyed only
// when the app quits.
import { BrowserWindow } from 'electron';
import { snapshotDelta, snapshotJson } from '../../shared/snapshot-delta.js';
import { SNAPSHOT_CHANNEL, SNAPSHOT_DELTA_CHANNEL, type Snapshot } from '../../shared/ui-contract.js';
import { buildWindowOptions, isAppEntryUrl } from './window-options.js';

export interface CompanionWindowOptions {
  preloadPath: string;
  entryFile: string;
  appEntryUrl: string;
  devTools: boolean;
  log: (line: string) => void;
}

export class CompanionWindow {
  private win: BrowserWindow | undefined;
  private quitting = false;
  /** First paint done (or the load failed): showing now will not flash an empty frame. */
  private ready = false;
  private showWhenReady = false;
  /** What the page holds, as main last sent it: deltas apply to it. None: the next send is whole. */
  private page: { snapshot: Snapshot; seq: number } | undefined;
  private seq = 0;
  private snapshotSource: (() => Snapshot) | undefined;

  constructor(private readonly options: CompanionWindowOptions) {}

  get webContentsId(): number | undefined {
    return this.live()?.webContents.id;
  }

  /** The window, if it exists (parent for native dialogs). */
  get browserWindow(): BrowserWindow | undefined {
    return this.live();
  }

  isFocused(): boolean {
    const win = this.live();
    return win !== undefined && win.isVisible() && win.isFocused();
  }

  /** Create (if needed) and show the window once its page is ready. */
  show(): void {
    const win = this.live() ?? this.create();
    if (this.ready) this.reveal(win);
    else this.showWhenReady = true;
  }

  toggle(): void {
    if (this.isFocused()) this.live()?.hide();
    else this.show();
  }

  /** Create the window now without showing it, so snapshots and IPC work from the start. */
  preload(): void {
    if (!this.live()) this.create();
  }

  /** Where a freshly loaded page's whole snapshot comes from (the core, once it runs). */
  setSnapshotSource(source: () => Snapshot): void {
    this.snapshotSource = source;
  }

  /** Snapshots go only to the app's own page, never to whatever a window might show instead: whole
   *  when the page holds none from this main (just loaded, or it asked again), else what changed. */
  sendSnapshot(snapshot: Snapshot): void {
    const contents = this.live()?.webContents;
    if (!contents || contents.isLoading() || !isAppEntryUrl(contents.getURL(), this.options.appEntryUrl)) {
      this.page = undefined;
      return;
    }
    const seq = ++this.seq;
    if (this.page) contents.send(SNAPSHOT_DELTA_CHANNEL, snapshotDelta(this.page.snapshot, snapshot, { base: this.page.seq, seq }));
    else {
      // Pins the texts the next delta is compared by to what this send carries.
      snapshotJson(snapshot);
      contents.send(SNAPSHOT_CHANNEL, snapshot, seq);
    }
    this.page = { snapshot, seq };
  }

  /** The page asked for the whole state (getSnapshot): it may have lost track, so the next send is whole. */
  resendWhole(): void {
    this.page = undefined;
  }

  /** From now on closing really closes (called when the app quits). */
  allowClose(): void {
    this.quitting = true;
  }

  private live(): BrowserWindow | undefined {
    return this.win && !this.win.isDestroyed() ? this.win : undefined;
  }

  private reveal(win: BrowserWindow): void {
    if (win.isDestroyed()) return;
    win.show();
    win.focus();
  }

  private create(): BrowserWindow {
    const { preloadPath, entryFile, devTools, log } = this.options;
    const win = new BrowserWindow(buildWindowOptions({ preloadPath, devTools }));
    this.ready = false;
    const onReady = (): void => {
      this.ready = true;
      if (this.showWhenReady) this.reveal(win);
      this.showWhenReady = false;
    };
    win.once('ready-to-show', onReady);
    // A new page (first load, reload) holds nothing: it gets the whole state, then deltas.
    this.page = undefined;
    win.webContents.on('did-start-loading', () => (this.page = undefined));
    win.webContents.on('did-finish-load', () => {
      this.page = undefined;
      if (this.snapshotSource) this.sendSnapshot(this.snapshotSource());
    });
    win.webContents.once('did-fail-load', onReady);
    win.on('close', (event) => {
      if (this.quitting) return;
      event.preventDefault();
      win.hide();
    });
    win.webContents.on('render-process-gone', (_event, details) => {
      log(`cowork-companion: window renderer gone (${details.reason}); it is recreated on next open`);
      win.destroy();
    });
    win.webContents.on('preload-error', (_event, path, error) => log(`cowork-companion: preload ${path} failed: ${String(error)}`));
    win.loadFile(entryFile).catch((error: unknown) => log(`cowork-companion: cannot load the UI from ${entryFile} (run "npm run build"?): ${String(error)}`));
    this.win = win;
    return win;
  }
}
