/** Live camera for image tasks: frames from getUserMedia go to the engine one after another, as fast as the model
 * answers (never queued), and the measured rate shows beside the preview. */
import { Button, Tag } from '@blueprintjs/core';
import { useEffect, useRef, useState } from 'react';
import { useStudio } from '../../store';

/** Frames per second over the last few frames. */
function rate(times: readonly number[]): number | null {
  if (times.length < 2) return null;
  return ((times.length - 1) * 1000) / (times[times.length - 1] - times[0]);
}

/** Renders the camera toggle, the live preview and the measured frame rate. */
export function LiveCamera() {
  const runFile = useStudio((s) => s.runDemoTaskFile);
  const [on, setOn] = useState(false);
  const [fps, setFps] = useState<number | null>(null);
  const [frames, setFrames] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const live = useRef(false);

  useEffect(() => {
    if (!on) return;
    live.current = true;
    let stream: MediaStream | null = null;
    const times: number[] = [];
    const loop = async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
      } catch (err) {
        setError(`No camera: ${(err as Error).message}. Allow camera access, or drop an image.`);
        setOn(false);
        return;
      }
      const v = video.current;
      if (!v) return;
      v.srcObject = stream;
      await v.play().catch(() => undefined);
      const canvas = document.createElement('canvas');
      let n = 0;
      while (live.current) {
        if (!v.videoWidth) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        canvas.getContext('2d')?.drawImage(v, 0, 0);
        const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', 0.9));
        if (!blob || !live.current) break;
        await runFile(new File([blob], `camera-frame-${++n}.jpg`, { type: 'image/jpeg' }), true);
        times.push(performance.now());
        if (times.length > 10) times.shift();
        setFrames(n);
        setFps(rate(times));
      }
    };
    void loop();
    return () => {
      live.current = false;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [on, runFile]);

  return (
    <div className="ds-camera" data-testid="demo-camera" data-live={on}>
      <Button
        icon={on ? 'stop' : 'camera'}
        intent={on ? 'danger' : 'none'}
        onClick={() => {
          setError(null);
          setFps(null);
          setFrames(0);
          setOn(!on);
        }}
        data-testid="demo-camera-toggle"
        fill
      >
        {on ? 'Stop the camera' : 'Live camera'}
      </Button>
      {on && (
        <div className="ds-camera-stats">
          <Tag minimal data-testid="demo-camera-fps" title="frames answered per second over the last 10 frames (upload + preprocessing + run), as the model sustains it">
            {fps === null ? 'measuring…' : `${fps.toFixed(1)} frames/s`}
          </Tag>
          <Tag minimal data-testid="demo-camera-frames">
            {frames} frames
          </Tag>
        </div>
      )}
      {on && <video ref={video} muted playsInline className="ds-camera-video" data-testid="demo-camera-video" />}
      {error && (
        <Tag intent="danger" minimal multiline>
          {error}
        </Tag>
      )}
    </div>
  );
}
