// Every user-visible string of the UI, French first. `en` must have exactly the keys of `fr`
// (the type checker enforces it). Placeholders are written {name} and filled by t().

const fr = {
  appName: 'Cartable',
  skipLink: 'Aller au contenu',
  loading: 'Chargement…',
  otherLanguage: 'English',
  otherLanguageCode: 'en',
  languageSwitchLabel: 'Switch to English',
  signOut: 'Se déconnecter',
  accountNav: 'Compte',
  retry: 'Réessayer',

  rolePupil: 'Élève',
  roleTeacher: 'Enseignant',
  roleParent: 'Parent',
  roleStaff: 'Personnel',
  roleAdmin: 'Administrateur',

  signinTitle: 'Connexion',
  signinIntro: 'Connectez-vous avec l’identifiant donné par votre établissement.',
  fieldLogin: 'Identifiant',
  fieldPassword: 'Mot de passe',
  fieldRemember: 'Rester connecté',
  rememberHint: 'Uniquement sur un appareil personnel.',
  signinButton: 'Se connecter',
  signingIn: 'Connexion…',
  signedOut: 'Vous êtes déconnecté.',
  errMissingCredentials: 'Saisissez votre identifiant et votre mot de passe.',
  errInvalidCredentials: 'Identifiant ou mot de passe incorrect',
  errTooManyAttempts: 'Trop de tentatives, réessayez dans {n} s',
  errTooManyAttemptsLater: 'Trop de tentatives, réessayez plus tard',
  errOverloaded: 'Service surchargé, réessayez dans {n} s',
  errOverloadedLater: 'Service surchargé, réessayez plus tard',
  errNetwork: 'Impossible de joindre le serveur. Vérifiez votre connexion.',
  errSessionExpired: 'Votre session a expiré. Reconnectez-vous.',
  errForbidden: 'Vous n’avez pas le droit de faire cela.',
  errNotFound: 'Introuvable : l’élément a peut-être été supprimé.',
  errGeneric: 'Une erreur est survenue ({code}).',

  today: 'Aujourd’hui',
  shiftedWeekend: 'Pas de cours aujourd’hui (week-end) — voici {date}',
  shiftedHoliday: 'Pas de cours aujourd’hui ({holiday}) — voici {date}',
  holidayFallback: 'vacances',
  shiftedOther: 'Plus de cours aujourd’hui — voici {date}',
  refresh: 'Actualiser',
  timetable: 'Emploi du temps',
  noLessons: 'Aucun cours ce jour-là.',
  homeworkDue: 'Devoirs à faire',
  noHomeworkDue: 'Aucun devoir à venir.',
  dueOn: 'Pour {date}',
  dueToday: '(aujourd’hui)',
  dueTomorrow: '(demain)',
  room: 'salle {room}',
  lessonTime: '{start} – {end}',
  noChildren: 'Aucun enfant n’est rattaché à votre compte.',
  welcome: 'Bienvenue, {name}',
  welcomeText: 'Votre espace de gestion ({school}) sera bientôt disponible ici.',

  myLessons: 'Mes cours',
  homework: 'Devoirs',
  newHomework: 'Nouveau devoir',
  editHomework: 'Modifier le devoir',
  homeworkSet: 'Devoirs donnés',
  noHomeworkSet: 'Vous n’avez encore donné aucun devoir.',
  noTeaching: 'Aucune classe ne vous est attribuée : vous ne pouvez pas donner de devoir.',
  fieldTeaching: 'Classe et matière',
  chooseTeaching: 'Choisir…',
  fieldTitle: 'Titre',
  fieldBody: 'Consignes',
  fieldDue: 'À faire pour le',
  publish: 'Publier',
  save: 'Enregistrer',
  saving: 'Enregistrement…',
  cancel: 'Annuler',
  edit: 'Modifier',
  delete: 'Supprimer',
  confirmDelete: 'Supprimer « {title} » ? Les élèves ne le verront plus.',
  confirmDeleteButton: 'Oui, supprimer',
  created: 'Devoir publié.',
  updated: 'Devoir modifié.',
  deleted: 'Devoir supprimé.',
  errRequired: 'Ce champ est obligatoire.',
  errTooLong: '{n} caractères au plus.',
  errDate: 'Indiquez une date valide.',
  errDateRange: 'La date doit se situer dans l’année qui vient ou qui s’achève.',
  errCharacters: 'Ce texte contient des caractères non autorisés.',
  errFormInvalid: 'Le devoir n’a pas été enregistré : corrigez les champs signalés.',

  tabsNav: 'Rubriques',
  grades: 'Notes',
  agenda: 'Agenda (iCal)',
  open: 'Ouvrir',
  close: 'Fermer',
  attachments: 'Pièces jointes',
  myWork: 'Mon travail',
  childWork: 'Travail de {name}',
  notHandedIn: 'Pas encore rendu.',
  handedInAt: 'Rendu le {when}.',
  handedInLate: 'Rendu en retard, le {when}.',
  markedAs: 'Note : {mark}',
  teacherComment: 'Commentaire : {comment}',
  handInClosed: 'Il n’est plus possible de rendre ce travail.',
  fieldAnswer: 'Votre réponse',
  fieldFiles: 'Ajouter des fichiers',
  filesHint: '10 fichiers au plus, 25 Mo chacun : PDF, images, audio, vidéo, documents bureautiques, ZIP, texte.',
  removeFile: 'Retirer',
  uploading: 'Envoi de {name}',
  handIn: 'Rendre mon travail',
  replaceHandIn: 'Remplacer mon rendu',
  sending: 'Envoi…',
  handedIn: 'Travail rendu.',
  errHandInEmpty: 'Écrivez une réponse ou joignez au moins un fichier.',
  errTooManyFiles: '10 fichiers au plus.',
  errAlreadyMarked: 'Ce travail a déjà été noté : il ne peut plus être modifié.',
  errFileTooLarge: '« {name} » est trop volumineux (25 Mo au plus).',
  errQuota: 'Votre espace de stockage est plein : « {name} » n’a pas été envoyé.',
  errFileType: '« {name} » : ce type de fichier n’est pas accepté. Acceptés : PDF, images (PNG, JPEG, GIF, WebP), audio (MP3, Ogg, M4A), vidéo (MP4, WebM), documents bureautiques (Word, Excel, PowerPoint, OpenDocument), archives ZIP et texte brut.',
  errFileEmpty: '« {name} » est vide.',
  errFileName: 'Le nom « {name} » n’est pas accepté : renommez le fichier.',
  errUploadCut: 'L’envoi de « {name} » a été interrompu. Réessayez.',
  copies: 'Copies',
  copiesOf: 'Copies : {title}',
  copiesCounts: 'Rendus : {handed} (dont {late} en retard) · non rendus : {missing} · notés : {marked} — {pupils} élèves',
  downloadZip: 'Télécharger tout (ZIP)',
  statusHandedIn: 'rendu',
  statusLate: 'en retard',
  statusMissing: 'non rendu',
  fieldMark: 'Note',
  fieldComment: 'Commentaire',
  saveMark: 'Enregistrer la note',
  markSaved: 'Note enregistrée.',
  noPupils: 'Aucun élève dans cette classe.',
  average: 'Moyenne : {avg}',
  overallAverage: 'Moyenne générale : {avg}',
  noAverage: 'pas de note',
  noGrades: 'Aucune note pour le moment.',
  colEvaluation: 'Évaluation',
  colDate: 'Date',
  colMark: 'Note',
  colCoef: 'Coef.',
  evMeta: '{date} · sur {out} · coef. {coef} · moyenne de la classe : {avg}',
  absent: 'Absent',
  excused: 'Dispensé',
  graded: 'Noté',
  noMark: '—',
  outOf: '{value}/{out}',
  evaluations: 'Évaluations',
  noEvaluations: 'Aucune évaluation pour cette classe et cette matière.',
  exportCsv: 'Exporter les notes (CSV)',
  newEvaluation: 'Nouvelle évaluation',
  fieldDate: 'Date',
  fieldOutOf: 'Noté sur',
  fieldCoefficient: 'Coefficient',
  create: 'Créer',
  evalCreated: 'Évaluation créée.',
  enterMarks: 'Saisir les notes',
  marksOf: 'Notes : {title} (sur {out})',
  markOf: 'Note de {name}',
  stateOf: 'État pour {name}',
  commentOf: 'Commentaire pour {name}',
  saveMarks: 'Enregistrer les notes',
  marksSaved: 'Notes enregistrées.',
  errMarks: 'Les notes n’ont pas été enregistrées : corrigez les lignes signalées.',
  errNumber: 'Indiquez un nombre (deux décimales au plus).',
  pupil: 'Élève',
  calendarIntro: 'Abonnez votre application d’agenda (téléphone, Thunderbird, Outlook…) à ce lien : vos cours et les dates des devoirs des quatre semaines à venir y apparaîtront.',
  calendarSecret: 'Ce lien donne accès à votre emploi du temps sans mot de passe : ne le partagez pas. S’il a circulé, réinitialisez-le.',
  calendarUrl: 'Adresse de l’agenda',
  copyLink: 'Copier le lien',
  linkCopied: 'Lien copié.',
  copyFailed: 'La copie a échoué : sélectionnez le lien et copiez-le.',
  resetLink: 'Réinitialiser le lien',
  resetConfirm: 'L’ancien lien cessera de fonctionner : il faudra abonner à nouveau vos agendas. Continuer ?',
  resetYes: 'Oui, réinitialiser',
  linkReset: 'Nouveau lien créé ; l’ancien ne fonctionne plus.',
};

export type Key = keyof typeof fr;

const en: Record<Key, string> = {
  appName: 'Cartable',
  skipLink: 'Skip to content',
  loading: 'Loading…',
  otherLanguage: 'Français',
  otherLanguageCode: 'fr',
  languageSwitchLabel: 'Passer en français',
  signOut: 'Sign out',
  accountNav: 'Account',
  retry: 'Try again',

  rolePupil: 'Pupil',
  roleTeacher: 'Teacher',
  roleParent: 'Parent',
  roleStaff: 'Staff',
  roleAdmin: 'Administrator',

  signinTitle: 'Sign in',
  signinIntro: 'Sign in with the login your school gave you.',
  fieldLogin: 'Login',
  fieldPassword: 'Password',
  fieldRemember: 'Stay signed in',
  rememberHint: 'Only on a personal device.',
  signinButton: 'Sign in',
  signingIn: 'Signing in…',
  signedOut: 'You are signed out.',
  errMissingCredentials: 'Enter your login and your password.',
  errInvalidCredentials: 'Incorrect login or password',
  errTooManyAttempts: 'Too many attempts, try again in {n} s',
  errTooManyAttemptsLater: 'Too many attempts, try again later',
  errOverloaded: 'Service overloaded, try again in {n} s',
  errOverloadedLater: 'Service overloaded, try again later',
  errNetwork: 'Cannot reach the server. Check your connection.',
  errSessionExpired: 'Your session has expired. Please sign in again.',
  errForbidden: 'You are not allowed to do that.',
  errNotFound: 'Not found: it may have been deleted.',
  errGeneric: 'Something went wrong ({code}).',

  today: 'Today',
  shiftedWeekend: 'No lessons today (weekend) — here is {date}',
  shiftedHoliday: 'No lessons today ({holiday}) — here is {date}',
  holidayFallback: 'holidays',
  shiftedOther: 'No more lessons today — here is {date}',
  refresh: 'Refresh',
  timetable: 'Timetable',
  noLessons: 'No lessons that day.',
  homeworkDue: 'Homework due',
  noHomeworkDue: 'No homework due soon.',
  dueOn: 'Due {date}',
  dueToday: '(today)',
  dueTomorrow: '(tomorrow)',
  room: 'room {room}',
  lessonTime: '{start} – {end}',
  noChildren: 'No child is linked to your account.',
  welcome: 'Welcome, {name}',
  welcomeText: 'Your management space ({school}) will soon be available here.',

  myLessons: 'My lessons',
  homework: 'Homework',
  newHomework: 'New homework',
  editHomework: 'Edit homework',
  homeworkSet: 'Homework set',
  noHomeworkSet: 'You have not set any homework yet.',
  noTeaching: 'No class is assigned to you: you cannot set homework.',
  fieldTeaching: 'Class and subject',
  chooseTeaching: 'Choose…',
  fieldTitle: 'Title',
  fieldBody: 'Instructions',
  fieldDue: 'Due date',
  publish: 'Publish',
  save: 'Save',
  saving: 'Saving…',
  cancel: 'Cancel',
  edit: 'Edit',
  delete: 'Delete',
  confirmDelete: 'Delete “{title}”? Pupils will no longer see it.',
  confirmDeleteButton: 'Yes, delete',
  created: 'Homework published.',
  updated: 'Homework updated.',
  deleted: 'Homework deleted.',
  errRequired: 'This field is required.',
  errTooLong: 'At most {n} characters.',
  errDate: 'Enter a valid date.',
  errDateRange: 'The date must be within a year of today.',
  errCharacters: 'This text contains characters that are not allowed.',
  errFormInvalid: 'The homework was not saved: fix the fields marked.',

  tabsNav: 'Sections',
  grades: 'Grades',
  agenda: 'Calendar (iCal)',
  open: 'Open',
  close: 'Close',
  attachments: 'Attachments',
  myWork: 'My work',
  childWork: '{name}’s work',
  notHandedIn: 'Not handed in yet.',
  handedInAt: 'Handed in on {when}.',
  handedInLate: 'Handed in late, on {when}.',
  markedAs: 'Mark: {mark}',
  teacherComment: 'Comment: {comment}',
  handInClosed: 'This work can no longer be handed in.',
  fieldAnswer: 'Your answer',
  fieldFiles: 'Add files',
  filesHint: 'At most 10 files, 25 MB each: PDF, images, audio, video, office documents, ZIP, text.',
  removeFile: 'Remove',
  uploading: 'Uploading {name}',
  handIn: 'Hand in my work',
  replaceHandIn: 'Replace my hand-in',
  sending: 'Sending…',
  handedIn: 'Work handed in.',
  errHandInEmpty: 'Write an answer or attach at least one file.',
  errTooManyFiles: 'At most 10 files.',
  errAlreadyMarked: 'This work has already been marked: it can no longer be changed.',
  errFileTooLarge: '“{name}” is too large (25 MB at most).',
  errQuota: 'Your storage space is full: “{name}” was not uploaded.',
  errFileType: '“{name}”: this kind of file is not accepted. Accepted: PDF, images (PNG, JPEG, GIF, WebP), audio (MP3, Ogg, M4A), video (MP4, WebM), office documents (Word, Excel, PowerPoint, OpenDocument), ZIP archives and plain text.',
  errFileEmpty: '“{name}” is empty.',
  errFileName: 'The name “{name}” is not accepted: rename the file.',
  errUploadCut: 'The upload of “{name}” was interrupted. Try again.',
  copies: 'Hand-ins',
  copiesOf: 'Hand-ins: {title}',
  copiesCounts: 'Handed in: {handed} ({late} late) · missing: {missing} · marked: {marked} — {pupils} pupils',
  downloadZip: 'Download all (ZIP)',
  statusHandedIn: 'handed in',
  statusLate: 'late',
  statusMissing: 'missing',
  fieldMark: 'Mark',
  fieldComment: 'Comment',
  saveMark: 'Save the mark',
  markSaved: 'Mark saved.',
  noPupils: 'No pupil in this class.',
  average: 'Average: {avg}',
  overallAverage: 'Overall average: {avg}',
  noAverage: 'no mark',
  noGrades: 'No grades yet.',
  colEvaluation: 'Assessment',
  colDate: 'Date',
  colMark: 'Mark',
  colCoef: 'Weight',
  evMeta: '{date} · out of {out} · weight {coef} · class average: {avg}',
  absent: 'Absent',
  excused: 'Excused',
  graded: 'Marked',
  noMark: '—',
  outOf: '{value}/{out}',
  evaluations: 'Assessments',
  noEvaluations: 'No assessment for this class and subject.',
  exportCsv: 'Export the grades (CSV)',
  newEvaluation: 'New assessment',
  fieldDate: 'Date',
  fieldOutOf: 'Marked out of',
  fieldCoefficient: 'Weight',
  create: 'Create',
  evalCreated: 'Assessment created.',
  enterMarks: 'Enter marks',
  marksOf: 'Marks: {title} (out of {out})',
  markOf: 'Mark for {name}',
  stateOf: 'State for {name}',
  commentOf: 'Comment for {name}',
  saveMarks: 'Save the marks',
  marksSaved: 'Marks saved.',
  errMarks: 'The marks were not saved: fix the rows marked.',
  errNumber: 'Enter a number (two decimals at most).',
  pupil: 'Pupil',
  calendarIntro: 'Subscribe your calendar app (phone, Thunderbird, Outlook…) to this link: your lessons and homework due dates for the next four weeks will show there.',
  calendarSecret: 'This link opens your timetable without a password: do not share it. If it has leaked, reset it.',
  calendarUrl: 'Calendar address',
  copyLink: 'Copy the link',
  linkCopied: 'Link copied.',
  copyFailed: 'Copying failed: select the link and copy it.',
  resetLink: 'Reset the link',
  resetConfirm: 'The old link will stop working: you will have to subscribe your calendars again. Continue?',
  resetYes: 'Yes, reset',
  linkReset: 'New link created; the old one no longer works.',
};

export type Lang = 'fr' | 'en';
const tables: Record<Lang, Record<Key, string>> = { fr, en };
const STORAGE_KEY = 'cartable.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'fr' || saved === 'en') return saved;
  } catch {
    // storage unavailable (private mode, disabled): fall through
  }
  // French first whatever the browser says: a shared family computer's language is not the
  // pupil's school's. English is one click away and remembered.
  return 'fr';
}

export let lang: Lang = initialLang();

export function setLang(next: Lang): void {
  lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered, still applied
  }
  document.documentElement.lang = next;
}

export function t(key: Key, params?: Record<string, string | number>): string {
  let s = tables[lang][key];
  if (params) s = s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  return s;
}

// --- Dates. The API speaks civil dates "YYYY-MM-DD"; they are formatted as UTC midnight so the
// browser's time zone can never move them to the day before.

export function parseDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, (m || 1) - 1, d || 1));
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  const d = parseDate(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

// "lundi 23 novembre" / "Monday, November 23"; the year is added when it differs from refYear.
export function formatDay(iso: string, refYear?: number): string {
  const d = parseDate(iso);
  const withYear = refYear !== undefined && d.getUTCFullYear() !== refYear;
  const key = `${lang}|${withYear}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: withYear ? 'numeric' : undefined,
      timeZone: 'UTC',
    });
    formatters.set(key, f);
  }
  return f.format(d);
}

// "lundi 23 novembre à 19:40" in the browser's time zone (a hand-in's instant, not a civil date).
export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function formatNumber(n: number): string {
  return n.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 });
}

// 48213 → "47 Ko" / "47 KB"; no third-party formatting for such a small need.
export function formatSize(bytes: number): string {
  const fr = lang === 'fr';
  if (bytes < 1024) return `${bytes} ${fr ? 'o' : 'B'}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} ${fr ? 'Ko' : 'KB'}`;
  return `${formatNumber(Math.round((bytes / 1048576) * 10) / 10)} ${fr ? 'Mo' : 'MB'}`;
}

// "16 oct." / "16 Oct": dates in tables, where a phone has little room.
export function formatShort(iso: string): string {
  return parseDate(iso).toLocaleDateString(lang === 'fr' ? 'fr-FR' : 'en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}
