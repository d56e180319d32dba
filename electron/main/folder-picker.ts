// The contract's `pickFolder`: a native folder dialog, which only the Electron shell can show. The
// person's choice is returned to the UI, which still has to share it through the core (and its checks).
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';

export async function pickFolder(parent: BrowserWindow | undefined): Promise<{ path?: string }> {
  const options: OpenDialogOptions = { title: 'Choose a folder to share with agents', buttonLabel: 'Choose', properties: ['openDirectory'] };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  const path = result.filePaths[0];
  return result.canceled || !path ? {} : { path };
}
