import { Box, IconButton, Tooltip, Typography } from "@mui/material";
import DeleteIcon from "@mui/icons-material/Delete";
import { useTranslation } from "react-i18next";
import type { User } from "../../api/types";
import type { DeleteDecision } from "../../lib/rbac";

interface Props {
  target: User;
  decision: DeleteDecision;
  onDelete: (u: User) => void;
}

/** Enabled when the RBAC rules allow it; otherwise disabled with the reason in words. */
export function UserDeleteButton({ target, decision, onDelete }: Props) {
  const { t } = useTranslation();
  if (decision.allowed) {
    return (
      <IconButton color="error" size="small" onClick={() => onDelete(target)} aria-label={t("common.delete")} data-testid={`user-delete-${target.id}`}>
        <DeleteIcon fontSize="small" />
      </IconButton>
    );
  }
  const reason = t(`users.reason.${decision.reason}`);
  return (
    <Box sx={{ display: "flex", alignItems: "center", gap: 0.5, minWidth: 0 }}>
      <Tooltip title={reason}>
        <span>
          <IconButton size="small" disabled aria-label={`${t("common.delete")}: ${reason}`} data-testid={`user-delete-${target.id}`} data-reason={decision.reason}>
            <DeleteIcon fontSize="small" />
          </IconButton>
        </span>
      </Tooltip>
      <Typography variant="caption" color="text.secondary" noWrap title={reason} data-testid={`user-delete-reason-${target.id}`}>
        {reason}
      </Typography>
    </Box>
  );
}
