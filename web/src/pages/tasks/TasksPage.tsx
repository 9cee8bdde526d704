import { type FormEvent, useState } from "react";
import {
  Alert, Box, Button, Checkbox, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, IconButton, List, ListItem,
  ListItemIcon, ListItemText, MenuItem, Stack, Switch, TextField, Typography,
} from "@mui/material";
import AddIcon from "@mui/icons-material/Add";
import DeleteIcon from "@mui/icons-material/Delete";
import { DateTimePicker } from "@mui/x-date-pickers/DateTimePicker";
import { LocalizationProvider } from "@mui/x-date-pickers/LocalizationProvider";
import { AdapterDayjs } from "@mui/x-date-pickers/AdapterDayjs";
import "dayjs/locale/he";
import type { Dayjs } from "dayjs";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { createTask, deleteTask, listTasks, updateTask } from "../../api/tasks";
import { listUsers } from "../../api/users";
import { useSession } from "../../auth/session";
import { errorText, useFeedback } from "../../components/feedback";
import { formatDateTime, zonedToUtc } from "../../lib/dates";

function NewTaskDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { tz, isAdmin, actingBusinessId } = useSession();
  const qc = useQueryClient();
  const fb = useFeedback();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [due, setDue] = useState<Dayjs | null>(null);
  const [assignee, setAssignee] = useState("");
  const users = useQuery({ queryKey: ["users", "task-assignees"], queryFn: () => listUsers(isAdmin ? actingBusinessId : null), enabled: open });
  const save = useMutation({
    mutationFn: () =>
      createTask({
        title: title.trim(),
        description,
        assignee_user_id: assignee || null,
        // the picker shows wall-clock time of the business's zone
        due_at: due?.isValid() ? zonedToUtc(due.format("YYYY-MM-DDTHH:mm"), tz) : null,
      }),
    onSuccess: () => {
      fb.success(t("tasks.created"));
      void qc.invalidateQueries({ queryKey: ["tasks"] });
      setTitle("");
      setDescription("");
      setDue(null);
      onClose();
    },
    onError: (e) => fb.error(errorText(t, e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs" data-testid="task-form">
      <form onSubmit={submit}>
        <DialogTitle>{t("tasks.new")}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField label={t("tasks.taskTitle")} value={title} onChange={(e) => setTitle(e.target.value)} required slotProps={{ htmlInput: { "data-testid": "task-title" } }} />
            <TextField label={t("tasks.description")} value={description} onChange={(e) => setDescription(e.target.value)} multiline minRows={2} />
            <TextField select label={t("tasks.assignee")} value={assignee} onChange={(e) => setAssignee(e.target.value)}
              slotProps={{ htmlInput: { "data-testid": "task-assignee" } }}>
              <MenuItem value="">—</MenuItem>
              {users.data?.filter((u) => u.business_id && u.active).map((u) => <MenuItem key={u.id} value={u.id}>{u.name || u.email}</MenuItem>)}
            </TextField>
            <LocalizationProvider dateAdapter={AdapterDayjs} adapterLocale={i18n.language === "en" ? "en" : "he"}>
              <DateTimePicker label={t("tasks.due")} value={due} onChange={setDue} ampm={false} />
            </LocalizationProvider>
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="contained" disabled={!title.trim() || save.isPending} data-testid="task-save">{t("common.create")}</Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export default function TasksPage() {
  const { t, i18n } = useTranslation();
  const { tz } = useSession();
  const qc = useQueryClient();
  const fb = useFeedback();
  const [mine, setMine] = useState(false);
  const [overdue, setOverdue] = useState(false);
  const [showDone, setShowDone] = useState(false);
  const [open, setOpen] = useState(false);
  const filter = { mine: mine || undefined, overdue: overdue || undefined, done: showDone ? undefined : false };
  const q = useQuery({ queryKey: ["tasks", filter], queryFn: () => listTasks(filter) });
  const toggle = useMutation({
    mutationFn: ({ id, done }: { id: string; done: boolean }) => updateTask(id, { done }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["tasks"] }),
    onError: (e) => fb.error(errorText(t, e)),
  });
  const remove = useMutation({
    mutationFn: deleteTask,
    onSuccess: () => fb.success(t("common.deleted")),
    onSettled: () => qc.invalidateQueries({ queryKey: ["tasks"] }),
    onError: (e) => fb.error(errorText(t, e)),
  });
  const now = Date.now();
  // notifications link here as /tasks?id=<task>
  const [params] = useSearchParams();
  const focused = params.get("id");
  return (
    <Box data-testid="tasks-page">
      <Stack direction="row" sx={{ alignItems: "center", justifyContent: "space-between", mb: 2 }}>
        <Typography variant="h5" component="h1">{t("tasks.title")}</Typography>
        <Button variant="contained" startIcon={<AddIcon />} onClick={() => setOpen(true)} data-testid="task-new">{t("tasks.new")}</Button>
      </Stack>
      <Stack direction="row" spacing={2} sx={{ mb: 1, flexWrap: "wrap" }}>
        <FormControlLabel control={<Switch checked={mine} onChange={(e) => setMine(e.target.checked)} data-testid="tasks-mine" />} label={t("tasks.mine")} />
        <FormControlLabel control={<Switch checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="tasks-overdue" />} label={t("tasks.overdue")} />
        <FormControlLabel control={<Switch checked={showDone} onChange={(e) => setShowDone(e.target.checked)} />} label={t("tasks.done")} />
      </Stack>
      {q.isError && <Alert severity="error">{errorText(t, q.error)}</Alert>}
      <List data-testid="tasks-list">
        {q.data?.items.length === 0 && <Typography color="text.secondary">{t("common.empty")}</Typography>}
        {q.data?.items.map((task) => {
          const late = task.overdue || (!task.done && !!task.due_at && Date.parse(task.due_at) < now);
          return (
            <ListItem key={task.id} divider data-testid={`task-${task.id}`} sx={task.id === focused ? { bgcolor: "action.selected" } : undefined} secondaryAction={
              <IconButton edge="end" onClick={() => remove.mutate(task.id)} aria-label={t("common.delete")} data-testid={`task-delete-${task.id}`}><DeleteIcon /></IconButton>
            }>
              <ListItemIcon>
                <Checkbox edge="start" checked={task.done} onChange={(e) => toggle.mutate({ id: task.id, done: e.target.checked })} slotProps={{ input: { "aria-label": t("tasks.done") } }} data-testid={`task-done-${task.id}`} />
              </ListItemIcon>
              <ListItemText
                primary={<span style={{ textDecoration: task.done ? "line-through" : undefined }}>{task.title}</span>}
                secondary={<Typography component="span" variant="body2" color={late ? "error" : "text.secondary"}>{formatDateTime(task.due_at, tz, i18n.language)}</Typography>}
              />
            </ListItem>
          );
        })}
      </List>
      <NewTaskDialog open={open} onClose={() => setOpen(false)} />
    </Box>
  );
}
