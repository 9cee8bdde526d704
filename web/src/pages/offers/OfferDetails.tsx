/** One offer: its lines and totals as the server computed them, and the signature once signed. */
import PrintIcon from "@mui/icons-material/Print";
import { Box, Button, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getOfferSignature, offerPrintUrl, type Offer } from "../../api/offers";
import { useSession } from "../../auth/session";
import { formatDateTime } from "../../lib/dates";
import { formatAgorot } from "../../lib/money";

export function OfferDetails({ offer }: { offer: Offer }) {
  const { t, i18n } = useTranslation();
  const { tz, isAdmin, actingBusinessId } = useSession();
  const lang = i18n.language;
  const sig = useQuery({
    queryKey: ["offer-signature", offer.id],
    queryFn: () => getOfferSignature(offer.id),
    enabled: offer.status === "signed",
  });
  return (
    <Stack spacing={1.5} data-testid={`offer-details-${offer.id}`}>
      <Stack direction="row" spacing={1} sx={{ alignItems: "center", justifyContent: "space-between" }}>
        <Typography>{offer.customer_name}{offer.customer_phone ? ` · ${offer.customer_phone}` : ""}</Typography>
        <Button size="small" startIcon={<PrintIcon />} href={offerPrintUrl(offer.id, isAdmin ? actingBusinessId : null)}
          target="_blank" rel="noopener" data-testid={`offer-print-${offer.id}`}>
          {t("common.print")}
        </Button>
      </Stack>
      <Box sx={{ overflowX: "auto" }}>
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{t("offers.description")}</TableCell>
              <TableCell>{t("offers.quantity")}</TableCell>
              <TableCell>{t("offers.unitPrice")}</TableCell>
              <TableCell>{t("offers.discount")}</TableCell>
              <TableCell>{t("offers.total")}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {offer.items.map((it) => (
              <TableRow key={it.position}>
                <TableCell>{it.description}</TableCell>
                <TableCell>{it.quantity}</TableCell>
                <TableCell>{formatAgorot(it.unit_price_agorot, lang)}</TableCell>
                <TableCell>{it.discount_bp / 100}%</TableCell>
                <TableCell>{formatAgorot(it.total_agorot, lang)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      <Typography>
        {t("offers.subtotal")}: {formatAgorot(offer.subtotal_agorot, lang)} · {t("offers.vat")} ({offer.vat_rate_bp / 100}%): {formatAgorot(offer.vat_agorot, lang)} · <b>{t("offers.total")}: {formatAgorot(offer.total_agorot, lang)}</b>
      </Typography>
      {sig.data && (
        <Box data-testid="offer-signature">
          <img src={sig.data.signature_png_data_url} alt={sig.data.signer_name} style={{ maxWidth: 300, border: "1px solid #ddd", borderRadius: 4 }} />
          <Typography variant="body2">{sig.data.signer_name} · {formatDateTime(sig.data.signed_at, tz, lang)} · IP {sig.data.ip}</Typography>
          <Typography variant="caption" dir="ltr" sx={{ wordBreak: "break-all" }}>SHA-256 {sig.data.document_sha256}</Typography>
        </Box>
      )}
    </Stack>
  );
}
