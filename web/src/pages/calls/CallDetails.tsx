/** One call: recording player, AI summary and the transcript of both sides. */
import { Box, Stack, Typography } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getCall, recordingUrl } from "../../api/calls";
import { useSession } from "../../auth/session";

export function CallDetails({ id }: { id: string }) {
  const { t } = useTranslation();
  const { isAdmin, actingBusinessId } = useSession();
  const q = useQuery({ queryKey: ["call", id], queryFn: () => getCall(id) });
  if (!q.data) return null;
  const c = q.data;
  return (
    <Stack spacing={1} data-testid={`call-details-${id}`}>
      {c.has_recording && (
        <audio controls preload="none" src={recordingUrl(c.id, isAdmin ? actingBusinessId : null)} style={{ width: "100%" }} data-testid="call-recording" />
      )}
      {c.summary && (
        <Box>
          <Typography variant="subtitle2">{t("leadDetail.summary")}</Typography>
          <Typography variant="body2">{c.summary}</Typography>
        </Box>
      )}
      <Typography variant="subtitle2">{t("leadDetail.transcript")}</Typography>
      {c.transcript.length === 0 && <Typography variant="body2" color="text.secondary">{t("calls.noTranscript")}</Typography>}
      {c.transcript.map((turn, i) => (
        <Typography key={i} variant="body2">
          <b>{t(turn.role === "caller" ? "leadDetail.caller" : "leadDetail.assistant")}:</b> {turn.text}
        </Typography>
      ))}
    </Stack>
  );
}
