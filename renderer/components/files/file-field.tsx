/**
 * A field for a file or folder the engine reads (calibration and validation data, labels, images, preprocessing):
 * a path, a button that opens the native dialog (desktop) or uploads (browser) with a progress bar and cancel, and a
 * drop target of its own (a drop here never reaches the window's model drop).
 */
import { Button, Callout, FormGroup, InputGroup, Tag, type Intent } from '@blueprintjs/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { toErrorDto } from '../../../shared/api/errors';
import { studioClient } from '../../services';
import { uploadedName, type UploadProgress } from '../../services/upload-client';
import { droppedFiles } from './dropped-files';
import { GrantedFolders } from './granted-folders';
import { UploadBar } from './upload-bar';

export interface FileFieldProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange(path: string): void;
  /** extensions a file may have, without dots; leave out for a field that takes only folders */
  extensions?: string[];
  /** whether a folder may be chosen (image class folders, `.npy` folders, test_data_set_* folders) */
  folder?: boolean;
  placeholder?: string;
  helperText?: ReactNode;
  intent?: Intent;
  /** other actions beside the choose buttons (suggestions found beside the model …) */
  children?: ReactNode;
  /** the test id of the path input; the buttons, inputs and bar derive theirs from it */
  testId?: string;
}

/** Renders the field. */
export function FileField(props: FileFieldProps) {
  const { id, label, value, onChange, extensions, folder, placeholder, helperText, intent, children } = props;
  const testId = props.testId ?? id;
  const host = studioClient().host;
  const browser = Boolean(host.upload);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  useEffect(() => folderInput.current?.setAttribute('webkitdirectory', ''), []);
  useEffect(() => () => abort.current?.abort(), []);

  const send = async (files: File[], asFolder: boolean, relativePaths?: string[]) => {
    if (!host.upload || files.length === 0) return;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    try {
      const result = await host.upload(files, { inline: true, folder: asFolder, relativePaths, signal: controller.signal, onProgress: setProgress });
      onChange(asFolder ? result.root : result.paths[0]);
    } catch (err) {
      const dto = toErrorDto(err);
      if (dto.code !== 'JOB_CANCELLED') setError(dto.message);
    } finally {
      if (abort.current === controller) abort.current = null;
      setProgress(null);
    }
  };

  const choose = async (kind: 'file' | 'folder') => {
    if (host.pickPath) {
      const picked = await host.pickPath({ kind, title: typeof label === 'string' ? label : 'Choose', ...(kind === 'file' && extensions ? { extensions } : {}) });
      if (picked) onChange(picked);
      return;
    }
    (kind === 'folder' ? folderInput : fileInput).current?.click();
  };

  const onDrop = async (e: React.DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    if (!browser) {
      const first = e.dataTransfer.files[0];
      const p = first ? await host.acceptDroppedFiles([first]) : null;
      if (p) onChange(p);
      return;
    }
    const dropped = await droppedFiles(e.dataTransfer);
    if (dropped.folder && !folder) return setError('This field takes a file: drop one file, not a folder.');
    if (!dropped.folder && dropped.files.length > 1) return send(dropped.files.slice(0, 1), false);
    await send(dropped.files, dropped.folder, dropped.relativePaths);
  };

  const shown = value ? uploadedName(value) : null;
  const accept = extensions?.map((x) => `.${x}`).join(',');
  const verb = browser ? 'Upload' : 'Choose';
  return (
    <FormGroup label={label} labelFor={id} intent={intent} helperText={helperText}>
      <div
        className={`ds-file-field${over ? ' ds-file-field-over' : ''}`}
        data-file-drop
        data-testid={`${testId}-drop`}
        onDragOver={(e) => {
          e.preventDefault();
          e.stopPropagation();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => void onDrop(e)}
      >
        {shown ? (
          <Tag large icon="cloud-upload" onRemove={() => onChange('')} title={value} data-testid={`${testId}-uploaded`}>
            {shown} · uploaded
          </Tag>
        ) : (
          <InputGroup id={id} value={value} placeholder={placeholder ?? (browser ? 'drop here, upload, or a path in an allowed folder' : 'drop here, choose, or type a path')} onValueChange={onChange} intent={intent} data-testid={testId} />
        )}
        <div className="ds-file-field-actions">
          {extensions && <Button size="small" icon={browser ? 'upload' : 'document-open'} text={`${verb} file…`} disabled={Boolean(progress)} onClick={() => void choose('file')} data-testid={`${testId}-choose-file`} />}
          {folder && <Button size="small" icon={browser ? 'folder-shared-open' : 'folder-open'} text={`${verb} folder…`} disabled={Boolean(progress)} onClick={() => void choose('folder')} data-testid={`${testId}-choose-folder`} />}
          {children}
          {browser && <GrantedFolders />}
        </div>
        {progress && <UploadBar progress={progress} onCancel={() => abort.current?.abort()} testId={`${testId}-progress`} />}
        {error && (
          <Callout compact intent="danger" icon="error" data-testid={`${testId}-error`}>
            {error}
          </Callout>
        )}
        {browser && (
          <>
            <input ref={fileInput} type="file" hidden accept={accept} data-testid={`${testId}-file-input`} onChange={(e) => void send([...(e.currentTarget.files ?? [])].slice(0, 1), false).finally(() => fileInput.current && (fileInput.current.value = ''))} />
            <input ref={folderInput} type="file" hidden multiple data-testid={`${testId}-folder-input`} onChange={(e) => void send([...(e.currentTarget.files ?? [])], true).finally(() => folderInput.current && (folderInput.current.value = ''))} />
          </>
        )}
      </div>
    </FormGroup>
  );
}
