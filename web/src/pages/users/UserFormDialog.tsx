import { type FormEvent, useEffect, useState } from "react";
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField } from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { createUser } from "../../api/users";
import type { Business, Role, User } from "../../api/types";
import { errorText, useFeedback } from "../../components/feedback";

/** Roles `actor` may give (server rule `may_assign_role`). */
export function assignableRoles(actor: User): Role[] {
  switch (actor.role) {
    case "system_admin":
      return ["owner", "admin", "agent", "system_admin"];
    case "owner":
      return ["owner", "admin", "agent"];
    case "admin":
      return ["agent"];
    default:
      return [];
  }
}

interface Props {
  open: boolean;
  onClose: () => void;
  actor: User;
  businesses?: Business[];
  defaultBusinessId?: string | null;
}

export function UserFormDialog({ open, onClose, actor, businesses, defaultBusinessId }: Props) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fb = useFeedback();
  const roles = assignableRoles(actor);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>(roles.includes("agent") ? "agent" : (roles[0] ?? "agent"));
  const [businessId, setBusinessId] = useState(defaultBusinessId ?? "");

  useEffect(() => {
    if (open) {
      setEmail("");
      setName("");
      setPassword("");
      setBusinessId(defaultBusinessId ?? "");
    }
  }, [open, defaultBusinessId]);

  const save = useMutation({
    mutationFn: () =>
      createUser({
        email: email.trim(),
        name: name.trim(),
        password,
        role,
        business_id: actor.role === "system_admin" && role !== "system_admin" ? businessId || undefined : undefined,
      }),
    onSuccess: () => {
      fb.success(t("users.created"));
      void qc.invalidateQueries({ queryKey: ["users"] });
      onClose();
    },
    onError: (e) => fb.error(errorText(t, e)),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const needsBusiness = actor.role === "system_admin" && role !== "system_admin";
  const valid = email.includes("@") && password.length >= 8 && (!needsBusiness || !!businessId);

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs" data-testid="user-form">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{t("users.new")}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField label={t("common.email")} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required
              slotProps={{ htmlInput: { "data-testid": "user-email", dir: "ltr" } }} />
            <TextField label={t("common.name")} value={name} onChange={(e) => setName(e.target.value)}
              slotProps={{ htmlInput: { "data-testid": "user-name" } }} />
            <TextField label={t("users.password")} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required
              error={password.length > 0 && password.length < 8}
              slotProps={{ htmlInput: { "data-testid": "user-password", dir: "ltr", autoComplete: "new-password" } }} />
            <TextField select label={t("common.role")} value={role} onChange={(e) => setRole(e.target.value as Role)}
              slotProps={{ htmlInput: { "data-testid": "user-role" } }}>
              {roles.map((r) => <MenuItem key={r} value={r} data-testid={`user-role-${r}`}>{t(`roles.${r}`)}</MenuItem>)}
            </TextField>
            {needsBusiness && (
              <TextField select label={t("common.business")} value={businessId} onChange={(e) => setBusinessId(e.target.value)} required
                slotProps={{ htmlInput: { "data-testid": "user-business" } }}>
                {businesses?.map((b) => <MenuItem key={b.id} value={b.id}>{b.name}</MenuItem>)}
              </TextField>
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="contained" disabled={!valid || save.isPending} data-testid="user-save">
            {t("common.create")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
