/** onnxruntime's profile as sorted tables: time per op type and per node, with a link to the graph overlay. */
import { Button, ButtonGroup, Card, H5, HTMLTable } from '@blueprintjs/core';
import { useState } from 'react';
import type { ProfileDto } from '../../../shared/api/runtime-api';
import { useStudio } from '../../store';

function Share({ share }: { share: number }) {
  return (
    <>
      <span className="ds-share-bar" style={{ width: `${Math.max(1, share * 60)}px` }} />
      {(share * 100).toFixed(1)} %
    </>
  );
}

/** Renders the profile card. */
export function ProfileTable({ profile, fileName }: { profile: ProfileDto; fileName: string }) {
  const [view, setView] = useState<'ops' | 'nodes'>('ops');
  const setPlace = useStudio((s) => s.setPlace);
  const setActiveOverlay = useStudio((s) => s.setActiveOverlay);
  const mapped = profile.nodes.filter((n) => n.graphNode).length;
  return (
    <Card className="ds-bench-card" data-testid="bench-profile">
      <div className="ds-bench-head">
        <H5>
          Profile of {fileName}: {profile.totalMs.toFixed(3)} ms of node time per run (mean of {profile.runs} runs)
        </H5>
        <ButtonGroup>
          <Button size="small" active={view === 'ops'} onClick={() => setView('ops')}>
            By op type
          </Button>
          <Button size="small" active={view === 'nodes'} onClick={() => setView('nodes')} data-testid="bench-profile-nodes">
            By node
          </Button>
          <Button
            size="small"
            icon="graph"
            disabled={mapped === 0}
            title={`${mapped} of ${profile.nodes.length} profiled nodes map to the model's nodes`}
            onClick={() => {
              setActiveOverlay('latency');
              setPlace('graph');
            }}
          >
            Show on graph
          </Button>
        </ButtonGroup>
      </div>
      <div className="ds-bench-table-wrap">
        {view === 'ops' ? (
          <HTMLTable compact striped className="ds-bench-table">
            <thead>
              <tr>
                <th>Op type</th>
                <th className="ds-num">Nodes</th>
                <th className="ds-num">ms / run</th>
                <th>Share</th>
              </tr>
            </thead>
            <tbody>
              {profile.opTypes.map((o) => (
                <tr key={o.opType}>
                  <td>{o.opType}</td>
                  <td className="ds-num">{o.nodes}</td>
                  <td className="ds-num">{o.meanMs.toFixed(3)}</td>
                  <td>
                    <Share share={o.share} />
                  </td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
        ) : (
          <HTMLTable compact striped className="ds-bench-table">
            <thead>
              <tr>
                <th>Node (onnxruntime)</th>
                <th>Op</th>
                <th className="ds-num">ms / run</th>
                <th>Share</th>
                <th>Model node</th>
              </tr>
            </thead>
            <tbody>
              {profile.nodes.map((n) => (
                <tr key={n.name}>
                  <td className="ds-mono">{n.name}</td>
                  <td>{n.opType}</td>
                  <td className="ds-num">{n.meanMs.toFixed(3)}</td>
                  <td>
                    <Share share={n.share} />
                  </td>
                  <td className="ds-mono">{n.graphNode ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
        )}
      </div>
    </Card>
  );
}
