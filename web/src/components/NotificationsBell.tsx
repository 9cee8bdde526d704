import { useState } from "react";
import { Badge, Box, Button, IconButton, List, ListItemButton, ListItemText, Popover, Typography } from "@mui/material";
import NotificationsIcon from "@mui/icons-material/Notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { listNotifications, markAllNotificationsRead, markNotificationRead, unreadOf } from "../api/notifications";
import { useSession } from "../auth/session";
import { formatDateTime } from "../lib/dates";

export function NotificationsBell() {
  const { t, i18n } = useTranslation();
  const { tz } = useSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const q = useQuery({ queryKey: ["notifications"], queryFn: () => listNotifications(1), retry: false });
  const unread = unreadOf(q.data);
  const readOne = useMutation({
    mutationFn: markNotificationRead,
    onSuccess: () => qc.invalidateQueries({ queryKey: ["notifications"] }),
  });
  const readAll = useMutation({
    mutationFn: markAllNotificationsRead,
    onSuccess: () => qc.invalidateQueries({ queryKey: ["notifications"] }),
  });
  return (
    <>
      <IconButton
        color="inherit"
        aria-label={t("notifications.open", { count: unread })}
        onClick={(e) => setAnchor(e.currentTarget)}
        data-testid="notifications-bell"
      >
        <Badge badgeContent={unread} color="error" data-testid="notifications-unread" data-count={unread}>
          <NotificationsIcon />
        </Badge>
      </IconButton>
      <Popover
        open={!!anchor}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: "bottom", horizontal: "left" }}
      >
        <Box sx={{ width: 340, maxWidth: "90vw", p: 1 }} data-testid="notifications-panel">
          <Box sx={{ display: "flex", alignItems: "center", justifyContent: "space-between", px: 1 }}>
            <Typography variant="subtitle1">{t("notifications.title")}</Typography>
            <Button size="small" onClick={() => readAll.mutate()} disabled={!unread} data-testid="notifications-read-all">
              {t("notifications.markAll")}
            </Button>
          </Box>
          {q.isError && <Typography sx={{ p: 1 }} color="text.secondary">{t("common.unavailable")}</Typography>}
          {q.data && q.data.items.length === 0 && <Typography sx={{ p: 1 }}>{t("notifications.none")}</Typography>}
          <List dense>
            {q.data?.items.map((n) => (
              <ListItemButton
                key={n.id}
                selected={!n.read}
                data-testid={`notification-${n.id}`}
                onClick={() => {
                  if (!n.read) readOne.mutate(n.id);
                  setAnchor(null);
                  if (n.link) navigate(n.link);
                }}
              >
                <ListItemText
                  primary={n.title || n.kind}
                  secondary={`${n.body ? `${n.body} · ` : ""}${formatDateTime(n.created_at, tz, i18n.language)}`}
                />
              </ListItemButton>
            ))}
          </List>
        </Box>
      </Popover>
    </>
  );
}
