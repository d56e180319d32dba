// Tray icon with the pending count; the tooltip adds the evidence state. Linux tray hosts (AppIndicator)
// may not report clicks, so there the menu is the way in; elsewhere a click toggles the window and a
// right-click opens the menu.
import { Menu, Tray, nativeImage } from 'electron';
import type { EvidenceStatus } from '../../shared/ui-contract.js';
import { TRAY_ICON_COLOR, TRAY_ICON_TEMPLATE } from './tray-icon-data.js';
import { trayTitle, trayTooltip } from './tray-state.js';

export interface CompanionTray {
  /** Called with every snapshot; only what changed is passed on to the platform. */
  setStatus(pendingCount: number, evidence?: EvidenceStatus): void;
  destroy(): void;
}

export function createCompanionTray(actions: { toggle(): void; show(): void; quit(): void }, platform = process.platform): CompanionTray {
  const mac = platform === 'darwin';
  const icons = mac ? TRAY_ICON_TEMPLATE : TRAY_ICON_COLOR;
  const image = nativeImage.createFromDataURL(icons.x1);
  image.addRepresentation({ scaleFactor: 2, dataURL: icons.x2 });
  if (mac) image.setTemplateImage(true);
  const tray = new Tray(image);

  const menuFor = (count: number): Menu =>
    Menu.buildFromTemplate([
      { label: count > 0 ? `Open Cowork Companion (${count} waiting)` : 'Open Cowork Companion', click: () => actions.show() },
      { type: 'separator' },
      { label: 'Quit Cowork Companion', click: () => actions.quit() },
    ]);

  let menu = menuFor(0);
  if (platform === 'linux') tray.setContextMenu(menu);
  else {
    tray.on('click', () => actions.toggle());
    tray.on('right-click', () => tray.popUpContextMenu(menu));
  }

  let shown: { count?: number; tooltip?: string } = {};
  const setStatus = (count: number, evidence?: EvidenceStatus): void => {
    const tooltip = trayTooltip(count, evidence);
    if (tooltip !== shown.tooltip) tray.setToolTip(tooltip);
    if (count !== shown.count) {
      if (mac) tray.setTitle(trayTitle(count));
      menu = menuFor(count);
      if (platform === 'linux') tray.setContextMenu(menu);
    }
    shown = { count, tooltip };
  };
  setStatus(0);
  return { setStatus, destroy: () => tray.destroy() };
}
