/** The folders this serve session may read by path (`serve --allow`), shown under file fields in browser mode. */
import { Button, Popover } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import { studioClient } from '../../services';

/** Renders "Folders this session may read" with the list in a popover (or how to grant one when there is none). */
export function GrantedFolders() {
  const [folders, setFolders] = useState<string[] | null>(null);
  useEffect(() => {
    let live = true;
    void studioClient()
      .host.readableFolders()
      .then((f) => live && setFolders(f));
    return () => {
      live = false;
    };
  }, []);
  if (folders === null) return null;
  return (
    <Popover
      placement="bottom-start"
      content={
        <div className="ds-granted-folders" data-testid="granted-folders">
          <strong>Folders this session may read by path</strong>
          {folders.length ? (
            <ul>
              {folders.map((f) => (
                <li key={f}>
                  <code>{f}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p>None: files reach the studio by upload.</p>
          )}
          <p className="ds-muted">
            Start <code>deploy-studio serve --allow DIR</code> (repeatable) to use files inside DIR by path.
          </p>
        </div>
      }
    >
      <Button
        size="small"
        variant="minimal"
        icon="folder-close"
        className="ds-granted-button"
        aria-label="Folders this session may read by path"
        title={folders.length ? `Folders this session may read by path: ${folders.join(', ')}` : 'No folder may be read by path: files reach the studio by upload'}
        text={folders.length ? `${folders.length}` : undefined}
        data-testid="granted-folders-button"
      />
    </Popover>
  );
}
