/** Uploads started outside a file field (a model opened or dropped in the browser): a progress card each, with cancel. */
import { Card } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import { UploadBar } from '../components/files/upload-bar';
import { cancelUpload, onUploads, type UploadProgress } from '../services/upload-client';

/** Renders the cards (nothing when no upload runs). */
export function UploadStatus() {
  const [uploads, setUploads] = useState<UploadProgress[]>([]);
  useEffect(() => onUploads((all) => setUploads(all.filter((u) => !u.inline))), []);
  if (uploads.length === 0) return null;
  return (
    <div className="ds-uploads" data-testid="uploads">
      {uploads.map((u) => (
        <Card key={u.id} elevation={2}>
          <UploadBar progress={u} onCancel={() => cancelUpload(u.id)} testId="upload-progress" />
        </Card>
      ))}
    </div>
  );
}
