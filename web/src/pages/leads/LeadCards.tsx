/** Mobile: one card per lead, with the same actions as the table (brief 5.1). */
import { Link as RouterLink } from "react-router";
import { Box, Card, CardActions, CardContent, Chip, IconButton, Link, Pagination, Stack, Typography } from "@mui/material";
import DeleteIcon from "@mui/icons-material/Delete";
import EditIcon from "@mui/icons-material/Edit";
import PhoneForwardedIcon from "@mui/icons-material/PhoneForwarded";
import { useTranslation } from "react-i18next";
import type { Lead, Page } from "../../api/types";
import { formatDateTime } from "../../lib/dates";
import { useSession } from "../../auth/session";
import { STATUS_COLOR } from "./LeadsTable";

interface Props {
  data: Page<Lead> | undefined;
  page: number;
  perPage: number;
  onPage: (page: number) => void;
  onEdit: (l: Lead) => void;
  onDelete: (l: Lead) => void;
  onCall: (l: Lead) => void;
}

export function LeadCards(p: Props) {
  const { t, i18n } = useTranslation();
  const { tz } = useSession();
  const pages = Math.max(1, Math.ceil((p.data?.total ?? 0) / p.perPage));
  return (
    <Stack spacing={1.5} data-testid="lead-cards">
      {p.data?.items.length === 0 && <Typography color="text.secondary">{t("common.empty")}</Typography>}
      {p.data?.items.map((lead) => (
        <Card key={lead.id} variant="outlined" data-testid={`lead-card-${lead.id}`}>
          <CardContent sx={{ pb: 0 }}>
            <Box sx={{ display: "flex", justifyContent: "space-between", alignItems: "center", gap: 1 }}>
              <Link component={RouterLink} to={`/leads/${lead.id}`} variant="subtitle1" fontWeight={600}>{lead.name}</Link>
              <Chip size="small" color={STATUS_COLOR[lead.status]} label={t(`leadStatus.${lead.status}`)} />
            </Box>
            {lead.phone && <Typography variant="body2"><bdi dir="ltr">{lead.phone}</bdi></Typography>}
            {lead.email && <Typography variant="body2" color="text.secondary">{lead.email}</Typography>}
            <Typography variant="caption" color="text.secondary">
              {t(`leadSource.${lead.source}`)} · {formatDateTime(lead.created_at, tz, i18n.language)}
            </Typography>
          </CardContent>
          <CardActions sx={{ justifyContent: "flex-end" }}>
            <IconButton disabled={!lead.phone} onClick={() => p.onCall(lead)} aria-label={t("leads.call")} data-testid={`lead-call-${lead.id}`}>
              <PhoneForwardedIcon />
            </IconButton>
            <IconButton onClick={() => p.onEdit(lead)} aria-label={t("common.edit")} data-testid={`lead-edit-${lead.id}`}>
              <EditIcon />
            </IconButton>
            <IconButton color="error" onClick={() => p.onDelete(lead)} aria-label={t("common.delete")} data-testid={`lead-delete-${lead.id}`}>
              <DeleteIcon />
            </IconButton>
          </CardActions>
        </Card>
      ))}
      {pages > 1 && (
        <Pagination count={pages} page={p.page} onChange={(_, v) => p.onPage(v)} sx={{ alignSelf: "center" }} data-testid="leads-pagination" />
      )}
    </Stack>
  );
}
