/**
 * mode "admin": system admin's Admin Users page across businesses.
 * mode "business": an owner's (or admin's) Business Users page.
 * Delete buttons follow brief 5.2 (lib/rbac.ts) and report the server's answer.
 */
import { useMemo, useState } from "react";
import { Alert, Box, Button, Chip, MenuItem, Stack, TextField, Typography, useMediaQuery, useTheme } from "@mui/material";
import AddIcon from "@mui/icons-material/Add";
import { DataGrid, type GridColDef } from "@mui/x-data-grid";
import { heIL, enUS } from "@mui/x-data-grid/locales";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { deleteUser, listUsers } from "../../api/users";
import { listBusinesses } from "../../api/businesses";
import type { User } from "../../api/types";
import { useSession } from "../../auth/session";
import { errorText, useFeedback } from "../../components/feedback";
import { canDeleteAnyUser, mayDeleteUser } from "../../lib/rbac";
import { formatDateTime } from "../../lib/dates";
import { UserDeleteButton } from "./UserDeleteButton";
import { assignableRoles, UserFormDialog } from "./UserFormDialog";

export default function UsersPage({ mode }: { mode: "admin" | "business" }) {
  const { t, i18n } = useTranslation();
  const { user, tz, actingBusinessId, isAdmin } = useSession();
  const qc = useQueryClient();
  const fb = useFeedback();
  const theme = useTheme();
  const desktop = useMediaQuery(theme.breakpoints.up("md"));
  const [filterBusiness, setFilterBusiness] = useState("");
  const [formOpen, setFormOpen] = useState(false);
  const businessFilter = mode === "admin" ? filterBusiness || null : isAdmin ? actingBusinessId : null;

  const users = useQuery({ queryKey: ["users", businessFilter], queryFn: () => listUsers(businessFilter) });
  const businesses = useQuery({ queryKey: ["businesses"], queryFn: listBusinesses, enabled: isAdmin });
  // RBAC needs every owner of the target's business, not just the filtered rows.
  const allUsers = users.data ?? [];
  const names = useMemo(() => new Map(businesses.data?.map((b) => [b.id, b.name]) ?? []), [businesses.data]);

  const remove = useMutation({
    mutationFn: (u: User) => deleteUser(u.id),
    onSuccess: () => fb.success(t("users.deleted")),
    onError: (e) => fb.error(errorText(t, e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ["users"] }),
  });

  const onDelete = async (u: User) => {
    const ok = await fb.confirm({
      message: t("users.deleteConfirm", { name: u.name || u.email, email: u.email }),
      confirmLabel: t("common.delete"),
      danger: true,
    });
    if (ok) remove.mutate(u);
  };

  const showDelete = !!user && canDeleteAnyUser(user);
  const columns: GridColDef<User>[] = [
    { field: "name", headerName: t("common.name"), flex: 1, minWidth: 130 },
    { field: "email", headerName: t("common.email"), flex: 1.2, minWidth: 180, renderCell: ({ row }) => <span dir="ltr">{row.email}</span> },
    { field: "role", headerName: t("common.role"), width: 120, renderCell: ({ row }) => <Chip size="small" label={t(`roles.${row.role}`)} /> },
    ...(mode === "admin"
      ? [{ field: "business_id", headerName: t("common.business"), flex: 1, minWidth: 130,
          valueGetter: (_v: unknown, row: User) => (row.business_id ? (names.get(row.business_id) ?? row.business_id) : t("users.noBusiness")) } as GridColDef<User>]
      : []),
    { field: "active", headerName: t("common.active"), width: 80, type: "boolean" },
    { field: "created_at", headerName: t("common.created"), width: 150, valueFormatter: (v: string) => formatDateTime(v, tz, i18n.language) },
    ...(showDelete && user
      ? [{
          field: "actions", headerName: t("common.actions"), width: 260, sortable: false,
          renderCell: ({ row }) => <UserDeleteButton target={row} decision={mayDeleteUser(user, row, allUsers)} onDelete={(u) => void onDelete(u)} />,
        } as GridColDef<User>]
      : []),
  ];

  const localeText = (i18n.language === "en" ? enUS : heIL).components.MuiDataGrid.defaultProps.localeText;
  const canCreate = !!user && assignableRoles(user).length > 0;

  return (
    <Box data-testid={mode === "admin" ? "admin-users-page" : "business-users-page"}>
      <Stack direction="row" sx={{ alignItems: "center", justifyContent: "space-between", mb: 2, gap: 1, flexWrap: "wrap" }}>
        <Typography variant="h5" component="h1">{t(mode === "admin" ? "users.adminTitle" : "users.title")}</Typography>
        <Stack direction="row" spacing={1}>
          {mode === "admin" && (
            <TextField select size="small" label={t("users.filterBusiness")} value={filterBusiness} onChange={(e) => setFilterBusiness(e.target.value)} sx={{ minWidth: 180 }}
              slotProps={{ htmlInput: { "data-testid": "users-filter-business" } }}>
              <MenuItem value="">{t("users.allBusinesses")}</MenuItem>
              {businesses.data?.map((b) => <MenuItem key={b.id} value={b.id}>{b.name}</MenuItem>)}
            </TextField>
          )}
          {canCreate && (
            <Button variant="contained" startIcon={<AddIcon />} onClick={() => setFormOpen(true)} data-testid="user-new">{t("users.new")}</Button>
          )}
        </Stack>
      </Stack>
      {users.isError && <Alert severity="error">{errorText(t, users.error)}</Alert>}
      <DataGrid
        data-testid="users-table"
        rows={users.data ?? []}
        columns={columns}
        loading={users.isLoading}
        autoHeight
        disableRowSelectionOnClick
        density="compact"
        localeText={localeText}
        columnVisibilityModel={desktop ? {} : { created_at: false, active: false, email: false }}
        initialState={{ pagination: { paginationModel: { pageSize: 25 } } }}
        pageSizeOptions={[25, 50, 100]}
      />
      {user && (
        <UserFormDialog
          open={formOpen}
          onClose={() => setFormOpen(false)}
          actor={user}
          businesses={businesses.data}
          defaultBusinessId={mode === "admin" ? filterBusiness || actingBusinessId : actingBusinessId}
        />
      )}
    </Box>
  );
}
