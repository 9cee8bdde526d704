import { type FormEvent, useState } from "react";
import {
  Button, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, Stack, TextField, Typography, useMediaQuery, useTheme,
} from "@mui/material";
import DeleteIcon from "@mui/icons-material/Delete";
import { DatePicker } from "@mui/x-date-pickers/DatePicker";
import { LocalizationProvider } from "@mui/x-date-pickers/LocalizationProvider";
import { AdapterDayjs } from "@mui/x-date-pickers/AdapterDayjs";
import "dayjs/locale/he";
import type { Dayjs } from "dayjs";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { createOffer } from "../../api/offers";
import { useSession } from "../../auth/session";
import { errorText, useFeedback } from "../../components/feedback";
import { formatAgorot, shekelsToAgorot } from "../../lib/money";
import { estimateTotals, type DraftLine } from "./totals";

const EMPTY_LINE: DraftLine = { description: "", quantity: "1", price: "", discount: "0" };

export function OfferFormDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { business } = useSession();
  const qc = useQueryClient();
  const fb = useFeedback();
  const theme = useTheme();
  const fullScreen = useMediaQuery(theme.breakpoints.down("sm"));
  const [title, setTitle] = useState("");
  const [customer, setCustomer] = useState("");
  const [email, setEmail] = useState("");
  const [phone, setPhone] = useState("");
  const [validUntil, setValidUntil] = useState<Dayjs | null>(null);
  const [lines, setLines] = useState<DraftLine[]>([{ ...EMPTY_LINE }]);
  const totals = estimateTotals(lines, business?.vat_rate_bp ?? 1800);

  const save = useMutation({
    mutationFn: () =>
      createOffer({
        title: title.trim(),
        customer_name: customer.trim(),
        customer_email: email.trim() || null,
        customer_phone: phone.trim() || null,
        valid_until: validUntil?.isValid() ? validUntil.format("YYYY-MM-DD") : null,
        items: lines.map((l) => ({
          description: l.description.trim(),
          quantity: Number(l.quantity),
          unit_price_agorot: shekelsToAgorot(l.price),
          discount_bp: Math.round(Number(l.discount || 0) * 100),
        })),
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["offers"] });
      setTitle(""); setCustomer(""); setEmail(""); setPhone(""); setLines([{ ...EMPTY_LINE }]);
      onClose();
    },
    onError: (e) => fb.error(errorText(t, e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const setLine = (i: number, k: keyof DraftLine, v: string) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, [k]: v } : l)));
  const valid = title.trim() && customer.trim() && lines.every((l) => l.description.trim() && Number(l.quantity) > 0);

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="md" fullScreen={fullScreen} data-testid="offer-form">
      <form onSubmit={submit}>
        <DialogTitle>{t("offers.new")}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField label={t("offers.offerTitle")} value={title} onChange={(e) => setTitle(e.target.value)} required slotProps={{ htmlInput: { "data-testid": "offer-title" } }} />
            <Stack direction={{ xs: "column", sm: "row" }} spacing={2}>
              <TextField fullWidth label={t("offers.customer")} value={customer} onChange={(e) => setCustomer(e.target.value)} required slotProps={{ htmlInput: { "data-testid": "offer-customer" } }} />
              <TextField fullWidth label={t("common.email")} value={email} onChange={(e) => setEmail(e.target.value)} slotProps={{ htmlInput: { dir: "ltr" } }} />
              <TextField fullWidth label={t("common.phone")} value={phone} onChange={(e) => setPhone(e.target.value)} slotProps={{ htmlInput: { dir: "ltr" } }} />
            </Stack>
            <LocalizationProvider dateAdapter={AdapterDayjs} adapterLocale={i18n.language === "en" ? "en" : "he"}>
              <DatePicker label={t("offers.validUntil")} value={validUntil} onChange={setValidUntil} />
            </LocalizationProvider>
            <Typography variant="subtitle1">{t("offers.items")}</Typography>
            {lines.map((l, i) => (
              <Stack key={i} direction={{ xs: "column", sm: "row" }} spacing={1} sx={{ alignItems: { sm: "center" } }}>
                <TextField size="small" sx={{ flex: 3 }} label={t("offers.description")} value={l.description} onChange={(e) => setLine(i, "description", e.target.value)} slotProps={{ htmlInput: { "data-testid": `offer-line-description-${i}` } }} />
                <TextField size="small" sx={{ flex: 1 }} label={t("offers.quantity")} value={l.quantity} onChange={(e) => setLine(i, "quantity", e.target.value)} slotProps={{ htmlInput: { inputMode: "decimal", "data-testid": `offer-line-quantity-${i}` } }} />
                <TextField size="small" sx={{ flex: 1.5 }} label={t("offers.unitPrice")} value={l.price} onChange={(e) => setLine(i, "price", e.target.value)} slotProps={{ htmlInput: { inputMode: "decimal", "data-testid": `offer-line-price-${i}` } }} />
                <TextField size="small" sx={{ flex: 1 }} label={t("offers.discount")} value={l.discount} onChange={(e) => setLine(i, "discount", e.target.value)} slotProps={{ htmlInput: { inputMode: "decimal" } }} />
                <IconButton onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))} disabled={lines.length === 1} aria-label={t("common.delete")}><DeleteIcon /></IconButton>
              </Stack>
            ))}
            <Button onClick={() => setLines((ls) => [...ls, { ...EMPTY_LINE }])} sx={{ alignSelf: "flex-start" }} data-testid="offer-add-line">{t("offers.addItem")}</Button>
            <Typography data-testid="offer-estimate">
              {t("offers.subtotal")}: {formatAgorot(totals.subtotal, i18n.language)} · {t("offers.vat")}: {formatAgorot(totals.vat, i18n.language)} · <b>{t("offers.total")}: {formatAgorot(totals.total, i18n.language)}</b>
            </Typography>
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="contained" disabled={!valid || save.isPending} data-testid="offer-save">{t("common.create")}</Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
