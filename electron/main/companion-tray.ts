// Tray icon with the pending count; the tooltip adds the evidence state. Linux tray hosts (AppIndicator)
// may not report clicks, so there the menu is the way in; elsewhere a click toggles the window and a
// right-click opens the menu.
import { Menu, Tray, nativeImage } from 'electron';
import type { ApprovalItem, EvidenceStatus } from '../../shared/ui-contract.js';
import { TRAY_ICON_COLOR, TRAY_ICON_TEMPLATE } from './tray-icon-data.js';
import { trayMenuEntries, trayTitle, trayTooltip } from './tray-state.js';

export interface CompanionTray {
  /** Called with every snapshot; only what changed is passed on to the platform. */
  setStatus(pending: readonly ApprovalItem[], evidence?: EvidenceStatus): void;
  destroy(): void;
}

export function createCompanionTray(actions: { toggle(): void; show(): void; quit(): void }, platform = process.platform): CompanionTray {
  const mac = platform === 'darwin';
  const icons = mac ? TRAY_ICON_TEMPLATE : TRAY_ICON_COLOR;
  const image = nativeImage.createFromDataURL(icons.x1);
  image.addRepresentation({ scaleFactor: 2, dataURL: icons.x2 });
  if (mac) image.setTemplateImage(true);
  const tray = new Tray(image);

  // Waiting actions are listed by what they do; choosing one brings the window forward (deciding
  // needs the full card, never a one-click menu answer).
  const menuFor = (pending: readonly ApprovalItem[]): Menu => {
    const { entries, more } = trayMenuEntries(pending);
    const count = pending.length;
    return Menu.buildFromTemplate([
      { label: count > 0 ? `Open Cowork Companion (${count} waiting)` : 'Open Cowork Companion', click: () => actions.show() },
      ...(entries.length ? [{ type: 'separator' as const }] : []),
      ...entries.map((e) => ({ label: e.label, click: () => actions.show() })),
      ...(more > 0 ? [{ label: `and ${more} more…`, click: () => actions.show() }] : []),
      { type: 'separator' },
      { label: 'Quit Cowork Companion', click: () => actions.quit() },
    ]);
  };

  let menu = menuFor([]);
  if (platform === 'linux') tray.setContextMenu(menu);
  else {
    tray.on('click', () => actions.toggle());
    tray.on('right-click', () => tray.popUpContextMenu(menu));
  }

  let shown: { ids?: string; tooltip?: string } = {};
  const setStatus = (pending: readonly ApprovalItem[], evidence?: EvidenceStatus): void => {
    const count = pending.length;
    const tooltip = trayTooltip(count, evidence, pending.filter((i) => i.held).length);
    if (tooltip !== shown.tooltip) tray.setToolTip(tooltip);
    const ids = pending.map((i) => `${i.id}:${i.held}`).join(',');
    if (ids !== shown.ids) {
      if (mac) tray.setTitle(trayTitle(count));
      menu = menuFor(pending);
      if (platform === 'linux') tray.setContextMenu(menu);
    }
    shown = { ids, tooltip };
  };
  setStatus([]);
  return { setStatus, destroy: () => tray.destroy() };
}
