/** Toasts (MUI Snackbar + Alert) and a promise-based confirm dialog (MUI Dialog). */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from "react";
import {
  Alert, Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, Snackbar,
} from "@mui/material";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ApiError } from "../api/http";

type Severity = "success" | "error" | "info" | "warning";
interface Toast { id: number; message: string; severity: Severity }
interface ConfirmRequest { message: string; confirmLabel?: string; danger?: boolean }

interface Feedback {
  toast: (message: string, severity?: Severity) => void;
  success: (message: string) => void;
  error: (message: string) => void;
  confirm: (req: ConfirmRequest) => Promise<boolean>;
}

const FeedbackContext = createContext<Feedback | null>(null);

/** Translates an API error code into the user's language. */
export function errorText(t: TFunction, e: unknown): string {
  if (e instanceof ApiError) {
    return t(`errors.${e.code}`, {
      defaultValue: e.message || t("errors.generic", { code: e.code }),
      message: e.message,
    });
  }
  return t("errors.generic", { code: "unknown" });
}

export function FeedbackProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [toast, setToast] = useState<Toast | null>(null);
  const [pending, setPending] = useState<ConfirmRequest | null>(null);
  const resolver = useRef<((v: boolean) => void) | null>(null);
  const seq = useRef(0);

  const show = useCallback((message: string, severity: Severity = "info") => {
    seq.current += 1;
    setToast({ id: seq.current, message, severity });
  }, []);

  const confirm = useCallback((req: ConfirmRequest) => {
    setPending(req);
    return new Promise<boolean>((resolve) => {
      resolver.current = resolve;
    });
  }, []);

  const answer = (v: boolean) => {
    resolver.current?.(v);
    resolver.current = null;
    setPending(null);
  };

  const value = useMemo<Feedback>(
    () => ({
      toast: show,
      success: (m) => show(m, "success"),
      error: (m) => show(m, "error"),
      confirm,
    }),
    [show, confirm],
  );

  return (
    <FeedbackContext.Provider value={value}>
      {children}
      <Snackbar
        key={toast?.id}
        open={!!toast}
        autoHideDuration={toast?.severity === "error" ? 8000 : 4000}
        onClose={(_, reason) => reason !== "clickaway" && setToast(null)}
        anchorOrigin={{ vertical: "bottom", horizontal: "center" }}
      >
        <Alert
          severity={toast?.severity ?? "info"}
          variant="filled"
          onClose={() => setToast(null)}
          data-testid="toast"
          data-severity={toast?.severity}
        >
          {toast?.message}
        </Alert>
      </Snackbar>
      <Dialog open={!!pending} onClose={() => answer(false)} data-testid="confirm-dialog">
        <DialogTitle>{t("common.confirm")}</DialogTitle>
        <DialogContent>
          <DialogContentText>{pending?.message}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => answer(false)} data-testid="confirm-cancel">
            {t("common.cancel")}
          </Button>
          <Button
            onClick={() => answer(true)}
            color={pending?.danger ? "error" : "primary"}
            variant="contained"
            data-testid="confirm-ok"
            autoFocus
          >
            {pending?.confirmLabel ?? t("common.confirm")}
          </Button>
        </DialogActions>
      </Dialog>
    </FeedbackContext.Provider>
  );
}

export function useFeedback(): Feedback {
  const f = useContext(FeedbackContext);
  if (!f) throw new Error("useFeedback outside FeedbackProvider");
  return f;
}
