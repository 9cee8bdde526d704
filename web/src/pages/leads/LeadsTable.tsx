/** Desktop: MUI X DataGrid with server-side paging and sorting. */
import { useMemo } from "react";
import { Link as RouterLink } from "react-router";
import { Box, Chip, IconButton, Link, Tooltip } from "@mui/material";
import { DataGrid, type GridColDef, type GridSortModel } from "@mui/x-data-grid";
import { heIL, enUS } from "@mui/x-data-grid/locales";
import DeleteIcon from "@mui/icons-material/Delete";
import EditIcon from "@mui/icons-material/Edit";
import PhoneForwardedIcon from "@mui/icons-material/PhoneForwarded";
import { useTranslation } from "react-i18next";
import type { Lead, Page } from "../../api/types";
import type { LeadSort } from "../../api/leads";
import { formatDateTime } from "../../lib/dates";
import { useSession } from "../../auth/session";

interface Props {
  data: Page<Lead> | undefined;
  loading: boolean;
  sort: LeadSort;
  onSort: (s: LeadSort) => void;
  page: number;
  perPage: number;
  onPage: (page: number, perPage: number) => void;
  onEdit: (l: Lead) => void;
  onDelete: (l: Lead) => void;
  onCall: (l: Lead) => void;
}

export const STATUS_COLOR = { new: "info", contacted: "primary", qualified: "warning", won: "success", lost: "default" } as const;

function toSortModel(sort: LeadSort): GridSortModel {
  const desc = sort.startsWith("-");
  return [{ field: desc ? sort.slice(1) : sort, sort: desc ? "desc" : "asc" }];
}

function fromSortModel(m: GridSortModel): LeadSort {
  const first = m[0];
  if (!first || !first.sort) return "-created_at";
  const field = ["name", "created_at", "updated_at"].includes(first.field) ? first.field : "created_at";
  return (first.sort === "desc" ? `-${field}` : field) as LeadSort;
}

export function LeadsTable(p: Props) {
  const { t, i18n } = useTranslation();
  const { tz } = useSession();
  const columns = useMemo<GridColDef<Lead>[]>(
    () => [
      {
        field: "name", headerName: t("common.name"), flex: 1.2, minWidth: 150,
        renderCell: ({ row }) => (
          <Link component={RouterLink} to={`/leads/${row.id}`} data-testid={`lead-link-${row.id}`}>{row.name}</Link>
        ),
      },
      {
        field: "phone", headerName: t("common.phone"), width: 150, sortable: false,
        renderCell: ({ row }) => <span dir="ltr">{row.phone ?? ""}</span>,
      },
      { field: "email", headerName: t("common.email"), flex: 1, minWidth: 140, sortable: false },
      {
        field: "status", headerName: t("common.status"), width: 120, sortable: false,
        renderCell: ({ row }) => <Chip size="small" color={STATUS_COLOR[row.status]} label={t(`leadStatus.${row.status}`)} />,
      },
      {
        field: "source", headerName: t("common.source"), width: 110, sortable: false,
        valueGetter: (_v, row) => t(`leadSource.${row.source}`),
      },
      {
        field: "created_at", headerName: t("common.created"), width: 160,
        valueFormatter: (v: string) => formatDateTime(v, tz, i18n.language),
      },
      {
        field: "actions", headerName: t("common.actions"), width: 150, sortable: false, filterable: false,
        renderCell: ({ row }) => (
          <>
            <Tooltip title={t("leads.call")}>
              <span>
                <IconButton size="small" disabled={!row.phone} onClick={() => p.onCall(row)} data-testid={`lead-call-${row.id}`} aria-label={t("leads.call")}>
                  <PhoneForwardedIcon fontSize="small" />
                </IconButton>
              </span>
            </Tooltip>
            <IconButton size="small" onClick={() => p.onEdit(row)} data-testid={`lead-edit-${row.id}`} aria-label={t("common.edit")}>
              <EditIcon fontSize="small" />
            </IconButton>
            <IconButton size="small" color="error" onClick={() => p.onDelete(row)} data-testid={`lead-delete-${row.id}`} aria-label={t("common.delete")}>
              <DeleteIcon fontSize="small" />
            </IconButton>
          </>
        ),
      },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, i18n.language, tz, p.onCall, p.onEdit, p.onDelete],
  );
  const localeText = (i18n.language === "en" ? enUS : heIL).components.MuiDataGrid.defaultProps.localeText;
  return (
    <Box data-testid="leads-table">
    <DataGrid
      rows={p.data?.items ?? []}
      columns={columns}
      rowCount={p.data?.total ?? 0}
      loading={p.loading}
      paginationMode="server"
      sortingMode="server"
      filterMode="server"
      disableColumnFilter
      disableRowSelectionOnClick
      pageSizeOptions={[10, 25, 50, 100]}
      paginationModel={{ page: p.page - 1, pageSize: p.perPage }}
      onPaginationModelChange={(m) => p.onPage(m.page + 1, m.pageSize)}
      sortModel={toSortModel(p.sort)}
      onSortModelChange={(m) => p.onSort(fromSortModel(m))}
      localeText={localeText}
      autoHeight
      density="compact"
    />
    </Box>
  );
}
