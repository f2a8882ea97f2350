/** Records from the microphone (browser and Electron), then hands the recording to the demo as a WAV file. */
import { Button, Tag } from '@blueprintjs/core';
import { useEffect, useRef, useState } from 'react';
import { encodeWav } from '../../../shared/tasks/wav-encode';

/** A record/stop button; `onRecorded` gets the WAV file. */
export function MicRecorder({ onRecorded, disabled }: { onRecorded: (file: File) => void; disabled?: boolean }) {
  const [state, setState] = useState<'idle' | 'recording' | 'decoding'>('idle');
  const [seconds, setSeconds] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const timer = useRef<number | null>(null);
  useEffect(
    () => () => {
      recorder.current?.stream.getTracks().forEach((t) => t.stop());
      if (timer.current) window.clearInterval(timer.current);
    },
    [],
  );
  const start = async () => {
    setError(null);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const chunks: Blob[] = [];
      const rec = new MediaRecorder(stream);
      rec.ondataavailable = (e) => chunks.push(e.data);
      rec.onstop = async () => {
        stream.getTracks().forEach((t) => t.stop());
        setState('decoding');
        try {
          const ctx = new AudioContext();
          const audio = await ctx.decodeAudioData(await new Blob(chunks).arrayBuffer());
          void ctx.close();
          const wav = encodeWav(audio.getChannelData(0), audio.sampleRate);
          onRecorded(new File([wav as Uint8Array<ArrayBuffer>], `recording-${new Date().toISOString().replace(/[:.]/g, '-')}.wav`, { type: 'audio/wav' }));
        } catch (err) {
          setError(`The recording could not be decoded (${(err as Error).message}).`);
        }
        setState('idle');
      };
      recorder.current = rec;
      rec.start();
      setSeconds(0);
      const t0 = performance.now();
      timer.current = window.setInterval(() => setSeconds((performance.now() - t0) / 1000), 100);
      setState('recording');
    } catch (err) {
      setError(`No microphone: ${(err as Error).message}. Allow microphone access, or drop a WAV file.`);
    }
  };
  const stop = () => {
    if (timer.current) window.clearInterval(timer.current);
    recorder.current?.stop();
  };
  return (
    <div className="ds-mic">
      {state === 'recording' ? (
        <Button icon="stop" intent="danger" onClick={stop} data-testid="demo-mic-stop" fill>
          Stop ({seconds.toFixed(1)} s)
        </Button>
      ) : (
        <Button icon="record" onClick={() => void start()} disabled={disabled || state === 'decoding'} data-testid="demo-mic-record" fill>
          Record from the microphone
        </Button>
      )}
      {error && (
        <Tag intent="danger" minimal multiline>
          {error}
        </Tag>
      )}
    </div>
  );
}
