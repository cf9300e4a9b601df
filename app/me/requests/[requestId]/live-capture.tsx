'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

type Step = { pose: 'center' | 'left' | 'right'; fromMs: number; toMs: number };
type Challenge = { id: string; steps: Step[]; captureMs: number; fps: number; expiresAt: string };
type Phase =
  | { name: 'idle' }
  | { name: 'starting' }
  | { name: 'capturing'; prompt: string; progress: number }
  | { name: 'checking' }
  | { name: 'refused'; code: string; message: string }
  | { name: 'camera_error'; message: string };

const PROMPTS: Record<Step['pose'], string> = {
  center: 'Look straight at the camera',
  left: 'Turn your head to your left',
  right: 'Turn your head to your right',
};
/** Frames are sent at most this wide: enough for the face engine, small to upload. */
const FRAME_WIDTH = 320;

function cameraMessage(err: unknown): string {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError') return 'The browser did not allow the camera. Allow it for this site (the camera icon in the address bar) and try again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera was found on this device.';
  if (name === 'NotReadableError') return 'The camera is in use by another application. Close it and try again.';
  return 'The camera could not be started on this device or browser.';
}

/**
 * The live capture: the server's random challenge read out step by step while the camera records
 * a few pictures a second; the pictures go to the server, which decides. The preview is mirrored
 * (as people expect to see themselves); the pictures sent are not. Nothing is kept in the browser.
 */
export function LiveCapture({ requestId }: { requestId: string }) {
  const router = useRouter();
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });

  useEffect(() => () => stream.current?.getTracks().forEach((t) => t.stop()), []);

  async function run() {
    setPhase({ name: 'starting' });
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' },
        audio: false,
      });
    } catch (err) {
      setPhase({ name: 'camera_error', message: cameraMessage(err) });
      return;
    }
    try {
      const res = await fetch(`/api/me/requests/${requestId}/liveness`, { method: 'POST' });
      const data = await res.json().catch(() => null);
      if (!res.ok) throw Object.assign(new Error(data?.error?.message ?? `The server answered ${res.status}.`), { code: data?.error?.code ?? 'internal' });
      const challenge = data.challenge as Challenge;
      const v = video.current!;
      v.srcObject = stream.current;
      await v.play();
      const frames = await record(v, challenge, (prompt, progress) => setPhase({ name: 'capturing', prompt, progress }));
      stream.current.getTracks().forEach((t) => t.stop());
      setPhase({ name: 'checking' });
      const body = new FormData();
      frames.forEach((f, i) => body.append('frame', f.blob, `frame-${i}.jpg`));
      body.append('times', JSON.stringify(frames.map((f) => f.t)));
      const sent = await fetch(`/api/me/requests/${requestId}/liveness/${challenge.id}`, { method: 'POST', body });
      const verdict = await sent.json().catch(() => null);
      if (!sent.ok) {
        setPhase({ name: 'refused', code: verdict?.error?.code ?? 'internal', message: verdict?.error?.message ?? `The server answered ${sent.status}.` });
        return;
      }
      setPhase({ name: 'idle' });
      router.refresh();
    } catch (err) {
      stream.current?.getTracks().forEach((t) => t.stop());
      setPhase({
        name: 'refused',
        code: (err as { code?: string }).code ?? 'network',
        message: (err as Error).message || 'The capture could not be sent. Check your connection and try again.',
      });
    }
  }

  const capturing = phase.name === 'capturing' || phase.name === 'starting';
  return (
    <div className="space-y-3" data-testid="live-capture" data-phase={phase.name}>
      <p className="text-sm text-gray-700">
        You can only search for the face in front of the camera. The capture takes about 20 seconds: we ask you to look at the camera and to turn your head left
        and right in an order drawn at random. A few pictures a second go to our server, which checks that it is you, live, and that your photos above show you.
        The pictures are not kept; only a description of your face is, encrypted, until your request ends.
      </p>
      <div className={capturing || phase.name === 'checking' ? 'space-y-2' : 'hidden'}>
        <video ref={video} muted playsInline aria-label="Your camera" className="h-60 w-80 -scale-x-100 rounded-lg bg-black object-cover" />
        {phase.name === 'capturing' && (
          <>
            <p role="status" aria-live="assertive" className="text-lg font-semibold" data-testid="live-prompt">
              {phase.prompt}
            </p>
            <progress className="w-80" value={phase.progress} max={1} aria-label="Capture progress" />
          </>
        )}
        {phase.name === 'checking' && <p role="status">Checking the capture…</p>}
      </div>
      {phase.name === 'refused' && (
        <div role="alert" data-code={phase.code} className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {phase.message}
        </div>
      )}
      {phase.name === 'camera_error' && (
        <div role="alert" data-code="camera_unavailable" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          {phase.message} Without a camera you can ask for a review by our staff below.
        </div>
      )}
      {!capturing && phase.name !== 'checking' && (
        <button type="button" onClick={() => void run()} className="rounded-md bg-ink px-4 py-2 font-medium text-white hover:bg-black">
          {phase.name === 'idle' ? 'Start the live capture' : 'Try the live capture again'}
        </button>
      )}
    </div>
  );
}

/** Records the challenge: a JPEG every 1/fps s, each with its time from the start; shows each step's prompt. */
async function record(v: HTMLVideoElement, c: Challenge, show: (prompt: string, progress: number) => void): Promise<{ blob: Blob; t: number }[]> {
  const canvas = document.createElement('canvas');
  const scale = Math.min(1, FRAME_WIDTH / (v.videoWidth || FRAME_WIDTH));
  canvas.width = Math.round((v.videoWidth || FRAME_WIDTH) * scale);
  canvas.height = Math.round((v.videoHeight || 240) * scale);
  const ctx = canvas.getContext('2d')!;
  const frames: { blob: Blob; t: number }[] = [];
  const start = performance.now();
  for (let i = 0; ; i++) {
    const due = (i * 1000) / c.fps;
    if (due >= c.captureMs) break;
    const wait = start + due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = Math.round(performance.now() - start);
    if (t >= c.captureMs) break;
    const step = c.steps.find((s) => t >= s.fromMs && t < s.toMs) ?? c.steps[c.steps.length - 1];
    show(PROMPTS[step.pose], t / c.captureMs);
    ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', 0.85));
    if (blob) frames.push({ blob, t });
  }
  return frames;
}
