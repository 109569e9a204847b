import PDFDocument from 'pdfkit';
import { formatEuro } from '@buurtservice/shared';

/** Renders a PDF in memory. PDFKit's built-in Helvetica covers Dutch text and the euro sign. */
function render(draw: (doc: PDFKit.PDFDocument) => void, info: { Title: string }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { ...info, Author: 'Buurtservice' }, lang: 'nl-NL', displayTitle: true, tagged: true });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}

const dateNl = (d: Date | string) => new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'long', year: 'numeric' }).format(typeof d === 'string' ? new Date(`${d}T12:00:00Z`) : d);
const euro = (cents: number) => formatEuro(cents, 'nl').replace(/\u00a0/g, ' ');

export interface Party {
  name: string;
  address: string;
  kvkNumber?: string | null;
  vatNumber?: string | null;
  iban?: string | null;
}

export interface InvoiceDocument {
  number: string;
  issuedAt: Date;
  dueOn: string;
  seller: Party;
  buyer: Party;
  description: string;
  cheques: number;
  centsPerHour: number;
  netCents: number;
  vatRatePercent: number;
  vatCents: number;
  grossCents: number;
  paid: boolean;
}

export function invoicePdf(inv: InvoiceDocument): Promise<Buffer> {
  return render((doc) => {
    doc.fontSize(20).font('Helvetica-Bold').text(inv.seller.name);
    doc.fontSize(10).font('Helvetica').text(inv.seller.address);
    if (inv.seller.kvkNumber) doc.text(`KvK ${inv.seller.kvkNumber}`);
    if (inv.seller.vatNumber) doc.text(`btw-nummer ${inv.seller.vatNumber}`);
    if (inv.seller.iban) doc.text(`IBAN ${inv.seller.iban}`);
    doc.moveDown(2);
    doc.font('Helvetica-Bold').text('Factuur aan');
    doc.font('Helvetica').text(inv.buyer.name).text(inv.buyer.address);
    if (inv.buyer.kvkNumber) doc.text(`KvK ${inv.buyer.kvkNumber}`);
    if (inv.buyer.vatNumber) doc.text(`btw-nummer ${inv.buyer.vatNumber}`);
    doc.moveDown(2);
    doc.fontSize(16).font('Helvetica-Bold').text(`Factuur ${inv.number}`);
    doc.fontSize(10).font('Helvetica').text(`Factuurdatum: ${dateNl(inv.issuedAt)}`).text(`Betalen vóór: ${dateNl(inv.dueOn)}`);
    doc.moveDown(1.5);
    const top = doc.y;
    const cols = [56, 300, 380, 470];
    doc.font('Helvetica-Bold').text('Omschrijving', cols[0], top).text('Aantal', cols[1], top).text('Prijs', cols[2], top).text('Bedrag', cols[3], top);
    doc.moveTo(56, top + 14).lineTo(539, top + 14).stroke();
    const row = top + 22;
    doc.font('Helvetica').text(inv.description, cols[0], row, { width: 230 }).text(String(inv.cheques), cols[1], row).text(euro(inv.centsPerHour), cols[2], row).text(euro(inv.netCents), cols[3], row);
    doc.moveDown(3);
    const totals: [string, string][] = [['Subtotaal', euro(inv.netCents)], [`Btw ${inv.vatRatePercent}%`, euro(inv.vatCents)], ['Totaal', euro(inv.grossCents)]];
    for (const [label, value] of totals) {
      const y = doc.y;
      doc.font(label === 'Totaal' ? 'Helvetica-Bold' : 'Helvetica').text(label, cols[2], y).text(value, cols[3], y);
    }
    doc.moveDown(2);
    doc.font('Helvetica').text(inv.paid
      ? 'Deze factuur is betaald. Dank u wel.'
      : `Wilt u ${euro(inv.grossCents)} overmaken naar ${inv.seller.iban ?? 'ons rekeningnummer'} onder vermelding van ${inv.number}? Na ontvangst staan de uren in uw portemonnee.`, 56, doc.y, { width: 483 });
    doc.moveDown().text('1 dienstencheque = 1 uur werk van 1 medewerker.', { width: 483 });
  }, { Title: `Factuur ${inv.number}` });
}

export interface ReceiptDocument {
  programmeName: string;
  servicePoint: string;
  receiptNumber: string;
  soldAt: Date;
  household: { name: string; address: string };
  cheques: number;
  centsPerHour: number;
  cents: number;
  paymentMethod: 'cash' | 'pin';
  expiresAt: Date | null;
  soldBy: string;
  undone: { at: Date; reason: string } | null;
}

export function receiptPdf(r: ReceiptDocument): Promise<Buffer> {
  return render((doc) => {
    doc.fontSize(18).font('Helvetica-Bold').text(`Buurtservice ${r.programmeName}`);
    doc.fontSize(10).font('Helvetica').text(r.servicePoint);
    doc.moveDown(1.5);
    doc.fontSize(14).font('Helvetica-Bold').text(`Kassabon ${r.receiptNumber}`);
    doc.fontSize(11).font('Helvetica')
      .text(`Datum: ${dateNl(r.soldAt)} ${new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' }).format(r.soldAt)}`)
      .text(`Voor: ${r.household.name}, ${r.household.address}`)
      .moveDown()
      .text(`${r.cheques} dienstencheque${r.cheques === 1 ? '' : 's'} × ${euro(r.centsPerHour)} = ${euro(r.cents)}`)
      .text(`Betaald met: ${r.paymentMethod === 'cash' ? 'contant' : 'pin'}`)
      .text(r.expiresAt ? `Geldig tot en met: ${dateNl(r.expiresAt)}` : 'Geldig zonder einddatum')
      .text(`Geholpen door: ${r.soldBy}`)
      .moveDown()
      .text('1 dienstencheque = 1 uur werk van 1 medewerker. Bewaar deze bon.');
    if (r.undone) doc.moveDown().font('Helvetica-Bold').text(`Teruggedraaid op ${dateNl(r.undone.at)}: ${r.undone.reason}`);
  }, { Title: `Kassabon ${r.receiptNumber}` });
}

export interface WorkExperienceDocument {
  /** who issues it: the programme's legal name, else its name */
  issuer: { name: string; address: string };
  worker: { name: string; startedOn: string };
  issuedAt: Date;
  totalMinutes: number;
  services: { name: string; minutes: number; jobs: number }[];
  /** oldest first */
  months: { month: string; minutes: number }[];
  certificates: { name: string; issuedOn: string; issuer: string }[];
}

/** 322 → "5 uur 22 min", 120 → "2 uur": exact, where "5,37 uur" would round. */
const hoursNl = (minutes: number) => `${Math.floor(minutes / 60)} uur${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
const monthNl = (month: string) =>
  new Intl.DateTimeFormat('nl-NL', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T12:00:00Z`));

/**
 * The statement of work experience a worker can show an employer: who they are, since when they
 * work with the programme, the hours per service and per month, and their certificates. It says
 * nothing about the worker's contract or benefit, nor about their trajectory: that is between the
 * worker and their coach.
 */
export function workExperiencePdf(d: WorkExperienceDocument): Promise<Buffer> {
  return render((doc) => {
    const left = 56;
    const right = 539;
    /** A table row at fixed columns, on a new page when this one is full. */
    const row = (cells: [string, number][], bold = false) => {
      if (doc.y > doc.page.height - 90) doc.addPage();
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
      cells.forEach(([text, x], i) => {
        // one line per cell: a long certificate name ends in … rather than running into the next column
        doc.text(text, x, y, { width: (cells[i + 1]?.[1] ?? right) - x - 8, height: 14, ellipsis: true });
      });
      doc.x = left;
      doc.y = y + 16;
    };
    const heading = (text: string) => {
      if (doc.y > doc.page.height - 130) doc.addPage();
      doc.moveDown(1.2).fontSize(13).font('Helvetica-Bold').text(text, left, doc.y).fontSize(10).moveDown(0.4);
    };

    doc.fontSize(18).font('Helvetica-Bold').text(d.issuer.name);
    if (d.issuer.address) doc.fontSize(10).font('Helvetica').text(d.issuer.address);
    doc.moveDown(2);
    doc.fontSize(16).font('Helvetica-Bold').text('Verklaring van werkervaring');
    doc.moveDown(0.5).fontSize(11).font('Helvetica')
      .text(`Naam: ${d.worker.name}`)
      .text(`Werkt bij ons sinds: ${dateNl(d.worker.startedOn)}`)
      .text(`Gewerkte uren in totaal: ${hoursNl(d.totalMinutes)}`);
    doc.moveDown(0.5).text(
      `${d.worker.name} heeft bij ${d.issuer.name} werkervaring opgedaan in de wijk: klussen bij bewoners en organisaties. `
      + 'Hieronder staan de uren die echt gewerkt zijn, bij klussen die de klant heeft bevestigd.',
      { width: right - left },
    );

    heading('Werk per dienst');
    row([['Dienst', left], ['Uren', 330], ['Klussen', 430]], true);
    if (d.services.length === 0) row([['Nog geen bevestigde uren.', left]]);
    for (const s of d.services) row([[s.name, left], [hoursNl(s.minutes), 330], [String(s.jobs), 430]]);

    if (d.months.length > 0) {
      heading('Uren per maand');
      row([['Maand', left], ['Uren', 330]], true);
      for (const m of d.months) row([[monthNl(m.month), left], [hoursNl(m.minutes), 330]]);
    }

    heading('Certificaten');
    if (d.certificates.length === 0) row([['Geen certificaten.', left]]);
    else row([['Certificaat', left], ['Uitgegeven door', 290], ['Datum', 440]], true);
    for (const c of d.certificates) row([[c.name, left], [c.issuer, 290], [dateNl(c.issuedOn), 440]]);

    doc.moveDown(2).fontSize(10).font('Helvetica')
      .text(`Opgesteld op ${dateNl(d.issuedAt)} door ${d.issuer.name}.`, left, doc.y, { width: right - left });
  }, { Title: `Verklaring van werkervaring ${d.worker.name}` });
}
