/** A drawn signature on a canvas, via the maintained `signature_pad` package. */
import { forwardRef, useEffect, useImperativeHandle, useRef } from "react";
import SignaturePad from "signature_pad";
import { Box } from "@mui/material";

export interface SignatureHandle {
  isEmpty: () => boolean;
  clear: () => void;
  toPng: () => string;
}

export const SignaturePadField = forwardRef<SignatureHandle, { label: string; onBegin?: () => void }>(function SignaturePadField({ label, onBegin }, ref) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const begin = useRef(onBegin);
  begin.current = onBegin;
  const pad = useRef<SignaturePad | null>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const p = new SignaturePad(el, { backgroundColor: "rgb(255,255,255)", penColor: "rgb(20,30,80)" });
    pad.current = p;
    p.addEventListener("beginStroke", () => begin.current?.());
    // Match the canvas to its CSS size and the screen density, so strokes land under the finger.
    const resize = () => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const data = p.toData();
      el.width = el.offsetWidth * ratio;
      el.height = el.offsetHeight * ratio;
      el.getContext("2d")?.scale(ratio, ratio);
      p.clear();
      p.fromData(data);
    };
    resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      p.off();
    };
  }, []);

  useImperativeHandle(ref, () => ({
    isEmpty: () => pad.current?.isEmpty() ?? true,
    clear: () => pad.current?.clear(),
    toPng: () => pad.current?.toDataURL("image/png") ?? "",
  }));

  return (
    <Box sx={{ border: 2, borderColor: "divider", borderStyle: "dashed", borderRadius: 2, bgcolor: "#fff", touchAction: "none" }}>
      <canvas ref={canvas} aria-label={label} data-testid="signature-canvas" style={{ width: "100%", height: 200, display: "block" }} />
    </Box>
  );
});
