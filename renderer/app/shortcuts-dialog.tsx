/** The keyboard shortcuts dialog: every shortcut by group (the Graph keys included wherever it opens), scrolling inside. */
import { Classes, Dialog, DialogBody, H6, HTMLTable, KeyComboTag } from '@blueprintjs/core';
import type { HotkeyConfig } from '@blueprintjs/core';
import { shortcutLines } from './shortcut-catalogue';

/**
 * Renders the dialog.
 * @param registered - the hotkeys registered now
 * @param helpCombos - the keys that open it in this front end
 */
export function ShortcutsDialog({ isOpen, onClose, registered, helpCombos }: { isOpen: boolean; onClose(): void; registered: readonly HotkeyConfig[]; helpCombos: readonly string[] }) {
  const lines = shortcutLines(registered, helpCombos);
  const groups = [...new Set(lines.map((l) => l.group))];
  return (
    <Dialog isOpen={isOpen} onClose={onClose} title="Keyboard shortcuts" icon="key-command" className="ds-shortcuts-dialog">
      <DialogBody className="ds-shortcuts-body">
        <div data-testid="shortcuts-dialog">
        {groups.map((g) => (
          <section key={g} className="ds-shortcuts-group">
            <H6>{g === 'Graph' ? 'Graph (in the Graph place)' : g}</H6>
            <HTMLTable compact className={`ds-shortcuts-table ${Classes.TEXT_SMALL}`}>
              <tbody>
                {lines
                  .filter((l) => l.group === g)
                  .map((l) => (
                    <tr key={l.label} data-testid="shortcut-line">
                      <td className="ds-shortcuts-label">{l.label}</td>
                      <td className="ds-shortcuts-keys">
                        {l.combos.map((c, i) => (
                          <span key={c}>
                            {i > 0 && <span className="ds-muted"> or </span>}
                            <KeyComboTag combo={c} minimal />
                          </span>
                        ))}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </HTMLTable>
          </section>
        ))}
        </div>
      </DialogBody>
    </Dialog>
  );
}
