/**
 * Linking: the QR comes only from our backend (GET /api/whatsapp/qr and the
 * whatsapp.qr live event) and is swapped in place when WhatsApp rotates it.
 */
import { Alert, Box, Button, Card, CardContent, Chip, Stack, Typography } from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/http";
import { getQr, getStatus, logoutSession, startSession, type WhatsAppState } from "../../api/whatsapp";
import { useCanManage } from "../../auth/session";
import { errorText, useFeedback } from "../../components/feedback";

const STATE_COLOR: Record<WhatsAppState, "default" | "success" | "warning" | "info" | "error"> = {
  disconnected: "default", waiting_for_qr: "info", connecting: "warning", connected: "success", logged_out: "error",
};

export function ConnectPanel() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fb = useFeedback();
  const canManage = useCanManage();
  const status = useQuery({
    queryKey: ["wa-status"],
    queryFn: getStatus,
    // The live stream pushes changes; polling is the fallback when it is cut.
    refetchInterval: (q) => (q.state.data?.state === "connected" ? 30_000 : 5_000),
  });
  const s = status.data;
  const wantsQr = !!s && (s.state === "waiting_for_qr" || s.qr_available);
  const qr = useQuery({
    queryKey: ["wa-qr"],
    queryFn: async () => {
      try {
        return await getQr();
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    enabled: wantsQr,
    refetchInterval: wantsQr ? 5_000 : false,
  });
  const start = useMutation({
    mutationFn: startSession,
    onSuccess: (st) => {
      qc.setQueryData(["wa-status"], st);
      void qc.invalidateQueries({ queryKey: ["wa-qr"] });
    },
    onError: (e) => fb.error(errorText(t, e)),
  });
  const logout = useMutation({
    mutationFn: logoutSession,
    onSuccess: () => {
      qc.setQueryData(["wa-qr"], null);
      void qc.invalidateQueries({ queryKey: ["wa-status"] });
    },
    onError: (e) => fb.error(errorText(t, e)),
  });

  if (status.isError) return <Alert severity="error">{errorText(t, status.error)}</Alert>;
  if (!s) return null;
  const showQr = wantsQr && qr.data;
  return (
    <Card variant="outlined" data-testid="whatsapp-connect-panel">
      <CardContent>
        <Stack spacing={2} sx={{ alignItems: "flex-start" }}>
          <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
            <Typography variant="h6">{t("whatsapp.connect")}</Typography>
            <Chip label={t(`whatsapp.state.${s.state}`)} color={STATE_COLOR[s.state]} data-testid="whatsapp-state" data-state={s.state} />
          </Stack>
          {s.state === "connected" && s.phone && (
            <Typography data-testid="whatsapp-linked-phone">{t("whatsapp.linkedNumber")} <bdi dir="ltr">{s.phone}</bdi></Typography>
          )}
          {s.last_error && s.state !== "connected" && (
            <Alert severity="warning" data-testid="whatsapp-error">{t(`whatsapp.lastError.${s.last_error}`, { defaultValue: s.last_error })}</Alert>
          )}
          {showQr && (
            <Box sx={{ display: "flex", flexDirection: "column", alignItems: "center", gap: 1, alignSelf: "center" }}>
              <img src={qr.data!.data_url} alt={t("whatsapp.qrAlt")} width={264} height={264} data-testid="whatsapp-qr" data-rotation={qr.data!.rotation}
                style={{ imageRendering: "pixelated", background: "#fff", padding: 8, borderRadius: 8 }} />
              <Typography variant="caption" data-testid="whatsapp-qr-rotation">{t("whatsapp.rotation", { n: qr.data!.rotation })}</Typography>
              <Typography variant="body2" sx={{ maxWidth: 360, textAlign: "center" }}>{t("whatsapp.connectHelp")}</Typography>
            </Box>
          )}
          {canManage && (
            <Stack direction="row" spacing={1}>
              {s.state !== "connected" && s.state !== "waiting_for_qr" && s.state !== "connecting" && (
                <Button variant="contained" color="success" onClick={() => start.mutate()} disabled={start.isPending} data-testid="whatsapp-connect">
                  {s.last_error ? t("whatsapp.tryAgain") : t("whatsapp.connect")}
                </Button>
              )}
              {s.state !== "disconnected" && s.state !== "logged_out" && (
                <Button variant="outlined" color="error" data-testid="whatsapp-logout" disabled={logout.isPending}
                  onClick={async () => {
                    if (await fb.confirm({ message: t("whatsapp.logoutConfirm"), danger: true, confirmLabel: t("whatsapp.logout") })) logout.mutate();
                  }}>
                  {t("whatsapp.logout")}
                </Button>
              )}
            </Stack>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}
