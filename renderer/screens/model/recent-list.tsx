/** Recently opened models, one click to reopen. */
import { Button, Card, H5, Menu, MenuItem } from '@blueprintjs/core';
import { modelSelectors, useStudio } from '../../store';

/** Renders the list; nothing when it is empty. */
export function RecentList() {
  const recent = useStudio(modelSelectors.recent);
  const openPath = useStudio((s) => s.openPath);
  const clear = useStudio((s) => s.clearRecent);
  if (recent.length === 0) return null;
  return (
    <Card className="ds-card ds-recent" data-testid="recent">
      <div className="ds-card-head">
        <H5>Recent</H5>
        <Button size="small" variant="minimal" icon="trash" onClick={() => void clear()}>
          Clear
        </Button>
      </div>
      <Menu>
        {recent.map((r) => (
          <MenuItem
            key={r.path}
            icon="document"
            text={r.fileName}
            label={new Date(r.openedAt).toLocaleDateString()}
            title={r.path}
            onClick={() => void openPath(r.path)}
          />
        ))}
      </Menu>
    </Card>
  );
}
