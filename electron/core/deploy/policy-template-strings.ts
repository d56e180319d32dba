// The words of the Group Policy templates in the languages besides English: each setting's and
// category's title and description (the English ones are the schema's metadata), the enum items, and
// the fixed phrases of the explain texts. Keyed by setting key, so a key added to the schema without
// its translations fails the completeness test. Words follow the app's own catalogues
// (renderer/src/i18n): a run is "sesi"/"セッション", a shared folder "folder bersama"/"共有フォルダー",
// a request "permintaan"/"リクエスト", hold "tahan"/"保留", evidence "bukti"/"証跡".
import { DEFAULT_HOLD_HOURS, DEFAULT_TIMELINE_RETENTION_DAYS } from '../../../shared/managed-policy-contract.js';
import { DEFAULT_JOURNAL_LIMIT_MB, DEFAULT_TOOL_INPUT_MAX_CHARS, HMAC_KEY_MIN_CHARS, IDENTITY_ATTRIBUTES } from '../../../shared/telemetry-policy-contract.js';

export const TEMPLATE_LANGUAGES = ['en-US', 'id-ID', 'ja-JP'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];
/** The languages whose words are in this file (English comes from the schema). */
export type TranslatedLanguage = Exclude<TemplateLanguage, 'en-US'>;

export interface TemplateText {
  title: string;
  description: string;
}

const attributes = IDENTITY_ATTRIBUTES.map((a) => `\`${a}\``).join(', ');

/** Title and description per setting key, per group key (a category), and '' for the whole policy. */
export const TRANSLATED_TEXTS: Record<string, Record<TranslatedLanguage, TemplateText>> = {
  '': {
    'id-ID': { title: 'Kebijakan terkelola Cowork Companion', description: 'Apa yang boleh dibagikan pengguna, apa yang tidak boleh dijangkau agen mana pun, aturan organisasi sendiri, batas waktu, pengamat file, dan telemetri.' },
    'ja-JP': { title: 'Cowork Companion の管理ポリシー', description: 'ユーザーが共有できるもの、どのエージェントも触れてはならないもの、組織独自のルール、時間の上限、ファイル監視、テレメトリーを定めます。' },
  },
  strict: {
    'id-ID': { title: 'Kebijakan ketat', description: 'Kunci yang tidak dikenal membuat seluruh kebijakan tidak valid, dan kebijakan valid terakhir tetap berlaku. Tanpa ini (bawaan), kunci yang tidak dikenal hanya menjadi peringatan dan sisa kebijakan tetap berlaku.' },
    'ja-JP': { title: '厳格なポリシー', description: '不明なキーがあるとポリシー全体が無効になり、最後に有効だったポリシーが引き続き適用されます。オフ（既定）の場合、不明なキーは警告となり、残りのポリシーは適用されます。' },
  },
  forbiddenPaths: {
    'id-ID': { title: 'Jalur terlarang', description: 'Jalur yang tidak boleh dibagikan siapa pun atau dijangkau melalui agen, selain daftar bawaan.' },
    'ja-JP': { title: '禁止パス', description: '組み込みの一覧に加えて、誰も共有できず、エージェントからも到達できないパスです。' },
  },
  allowedRoots: {
    'id-ID': { title: 'Akar yang diizinkan', description: 'Jika diatur, pengguna hanya boleh membagikan folder di dalam akar-akar ini.' },
    'ja-JP': { title: '許可するルート', description: '設定すると、ユーザーはこれらのルート内のフォルダーしか共有できません。' },
  },
  allowUserFolders: {
    'id-ID': { title: 'Pengguna boleh menambah folder bersama', description: 'Apakah pengguna boleh menambah folder bersama sama sekali (bawaan: ya).' },
    'ja-JP': { title: 'ユーザーによる共有フォルダーの追加', description: 'ユーザーが共有フォルダーを追加できるかどうか（既定: できる）。' },
  },
  allowBroadShares: {
    'id-ID': { title: 'Izinkan folder bersama yang luas', description: 'Apakah pengguna boleh membagikan folder yang luas (puncak sebuah disk, folder rumah, folder sistem, folder yang mengelilingi lokasi terlindungi) setelah mengonfirmasi. Nonaktif: folder seperti itu langsung ditolak.' },
    'ja-JP': { title: '広範な共有フォルダーを許可', description: '確認のうえで、ユーザーが広範なフォルダー（ディスクの最上位、ホームフォルダー、システムフォルダー、保護された場所を含むフォルダー）を共有できるかどうか。オフにすると、そのようなフォルダーは即座に拒否されます。' },
  },
  allowPersonalRules: {
    'id-ID': { title: 'Izinkan aturan pribadi', description: 'Apakah orang boleh membuat aturan sendiri ("Izinkan selama sesi ini", "Selalu izinkan"). Nonaktif: hanya aturan organisasi yang memutuskan secara otomatis, aturan buatan orang berhenti berlaku, dan semua yang lain ditanyakan.' },
    'ja-JP': { title: '個人のルールを許可', description: '各自がルール（「このセッション中は許可」「常に許可」）を作れるかどうか。オフにすると、自動で判断するのは組織のルールだけになり、各自が作ったルールは適用されなくなり、それ以外はすべて確認を求めます。' },
  },
  autostart: {
    'id-ID': { title: 'Mulai saat masuk', description: 'Jalankan aplikasi baki saat masuk, langsung ke baki sistem. Tidak diatur: aktif di mana pun kebijakan terkelola berlaku, selain itu pilihan masing-masing orang. Jika diatur di sini, pengaturan ini terkunci.' },
    'ja-JP': { title: 'ログイン時に起動', description: 'ログイン時にトレイアプリをトレイに起動します。未設定の場合、管理ポリシーが適用されている環境ではオン、それ以外では各自の選択に従います。ここで設定するとロックされます。' },
  },
  sharedFolders: {
    'id-ID': { title: 'Folder bersama untuk semua orang', description: 'Folder bersama yang ditetapkan organisasi untuk semua orang (terkunci di aplikasi): daftar objek dengan `path`, `mode` ("read" atau "read-write") dan `label` opsional.' },
    'ja-JP': { title: '全員向けの共有フォルダー', description: '組織が全員向けに共有するフォルダー（アプリ上ではロック）: `path`、`mode`（"read" または "read-write"）、任意の `label` を持つオブジェクトの一覧です。' },
  },
  outOfScope: {
    'id-ID': { title: 'File di luar folder bersama', description: 'Apa yang terjadi pada permintaan untuk file di luar folder bersama: "deny" (tolak, bawaan) atau "ask" (tanyakan kepada orangnya).' },
    'ja-JP': { title: '共有フォルダー外のファイル', description: '共有フォルダー外のファイルに対するリクエストの扱い: "deny"（拒否、既定）または "ask"（本人に確認）。' },
  },
  mcpPathArguments: {
    'id-ID': { title: 'Argumen jalur MCP', description: 'Nama argumen yang berisi jalur, per server MCP (selain path, file, directory, uri, dan sejenisnya): objek dari nama server ke daftar nama argumen.' },
    'ja-JP': { title: 'MCP のパス引数', description: 'MCP サーバーごとの、パスを受け取る引数名（path、file、directory、uri などに加えて）: サーバー名から引数名の一覧への対応を表すオブジェクトです。' },
  },
  rules: {
    'id-ID': { title: 'Aturan untuk semua orang', description: 'Aturan yang ditetapkan organisasi untuk semua orang (terkunci di aplikasi), dengan bentuk yang sama seperti aturan milik seseorang: `toolName` (alat MCP boleh berupa pola: `mcp__github__*`, `mcp__*__delete_*`), `effect` ("allow", bawaan; "deny"; atau "ask": selalu seseorang yang memutuskan), `match` (`kind` "path-prefix", "command-prefix", "domain" atau "any"; bawaan "any") dan `folder` opsional. Aturan penolakan berlaku lebih dulu, lalu folder bersama, lalu aturan "ask", lalu aturan izin.' },
    'ja-JP': { title: '全員向けのルール', description: '組織が全員に適用するルール（アプリ上ではロック）。各自のルールと同じ形式です: `toolName`（MCP ツールはパターンも可: `mcp__github__*`、`mcp__*__delete_*`）、`effect`（"allow"（既定）、"deny"、または "ask": 常に人が判断）、`match`（`kind` は "path-prefix"、"command-prefix"、"domain"、"any" のいずれか。既定は "any"）、任意の `folder`。拒否ルールが最初に適用され、次に共有フォルダー、"ask" ルール、許可ルールの順です。' },
  },
  approvals: {
    'id-ID': { title: 'Persetujuan', description: 'Berapa lama permintaan menunggu seseorang, dan apa yang terjadi jika tidak ada yang menjawab.' },
    'ja-JP': { title: '承認', description: 'リクエストが人の判断を待つ時間と、誰も応答しなかったときの扱い。' },
  },
  'approvals.timeoutSeconds': {
    'id-ID': { title: 'Batas waktu persetujuan (detik)', description: 'Berapa lama permintaan menunggu seseorang. Harus tetap di bawah `timeout` hook di pengaturan agen (300 detik pada penyiapan yang didokumentasikan).' },
    'ja-JP': { title: '承認のタイムアウト（秒）', description: 'リクエストが人の判断を待つ時間。エージェント設定のフック `timeout`（文書化された構成では 300 秒）より短くしてください。' },
  },
  'approvals.onTimeout': {
    'id-ID': { title: 'Jika tidak ada yang menjawab', description: '"deny" (bawaan: permintaan ditolak dan keluar dari Kotak masuk) atau "hold" (permintaan tetap ada, ditahan, agar orangnya memutuskan nanti; agen diberi tahu bahwa permintaan ditahan). Tidak pernah "allow": hitungan mundur tidak boleh memutuskan untuk orangnya.' },
    'ja-JP': { title: '誰も応答しないとき', description: '"deny"（既定: リクエストは拒否され、受信トレイから外れます）または "hold"（保留のまま残り、後で本人が判断します。エージェントには保留中と伝えます）。"allow" はありません: カウントダウンが本人の代わりに判断してはならないためです。' },
  },
  'approvals.holdHours': {
    'id-ID': { title: 'Masa tahan (jam)', description: `Berapa lama permintaan yang ditahan tetap di Kotak masuk sebelum ditarik (bawaan ${DEFAULT_HOLD_HOURS}; paling lama seminggu, 168).` },
    'ja-JP': { title: '保留期間（時間）', description: `保留されたリクエストが取り下げられるまで受信トレイに残る時間（既定 ${DEFAULT_HOLD_HOURS}、最長 1 週間 = 168）。` },
  },
  'approvals.sandboxedBash': {
    'id-ID': { title: 'Perintah Bash di sandbox', description: 'Perintah Bash yang dibatasi sandbox sistem operasi ke folder bersama: "ask" (tanyakan kepada orangnya) atau "allow" (izinkan tanpa bertanya). Jika diatur di sini, sama untuk setiap orang dan terkunci.' },
    'ja-JP': { title: 'サンドボックス内の Bash コマンド', description: 'OS のサンドボックスで共有フォルダーに閉じ込められた Bash コマンドの扱い: "ask"（本人に確認）または "allow"（確認せずに許可）。ここで設定すると全員に同じ値が適用され、ロックされます。' },
  },
  watch: {
    'id-ID': { title: 'Pengamat file', description: 'Pengamat file yang berjalan selama sesi agen aktif: ia melihat perubahan, bukan pembacaan.' },
    'ja-JP': { title: 'ファイル監視', description: 'エージェントのセッションがアクティブな間に動くファイル監視。検出するのは変更で、読み取りは検出しません。' },
  },
  'watch.enabled': {
    'id-ID': { title: 'Amati file selama sesi agen', description: 'Apakah pengamat file berjalan selama sesi agen aktif (bawaan: ya). Ia melihat perubahan, bukan pembacaan.' },
    'ja-JP': { title: 'セッション中のファイル監視', description: 'エージェントのセッションがアクティブな間、ファイル監視を動かすかどうか（既定: 動かす）。検出するのは変更で、読み取りは検出しません。' },
  },
  'watch.sentinelRoots': {
    'id-ID': { title: 'Folder yang diamati di luar folder bersama', description: 'Folder di luar folder bersama yang diamati perubahannya (bawaan: folder rumah, `~`).' },
    'ja-JP': { title: '共有フォルダー外の監視対象', description: '変更を監視する、共有フォルダー外のフォルダー（既定: ホームフォルダー `~`）。' },
  },
  'watch.sentinelDepth': {
    'id-ID': { title: 'Kedalaman pengamatan di bawah folder yang diamati', description: 'Berapa tingkat folder yang diamati di bawah folder yang diamati di luar folder bersama (bawaan: semua).' },
    'ja-JP': { title: '監視対象フォルダーの監視階層', description: '共有フォルダー外の監視対象フォルダーの下で監視するフォルダー階層の数（既定: すべて）。' },
  },
  'watch.sharedDepth': {
    'id-ID': { title: 'Kedalaman pengamatan di bawah folder bersama', description: 'Berapa tingkat folder yang diamati di bawah sebuah folder bersama (bawaan: semua).' },
    'ja-JP': { title: '共有フォルダーの監視階層', description: '共有フォルダーの下で監視するフォルダー階層の数（既定: すべて）。' },
  },
  'watch.exclude': {
    'id-ID': { title: 'Tidak diamati', description: 'Gangguan yang tidak diamati, selain daftar bawaan: sebuah nama, rangkaian nama, atau jalur.' },
    'ja-JP': { title: '監視しないもの', description: '組み込みの一覧に加えて監視しないもの: 名前、名前の連なり、またはパス。' },
  },
  'watch.idleTimeoutMinutes': {
    'id-ID': { title: 'Batas waktu sesi diam (menit)', description: 'Sesi agen tanpa peristiwa hook selama ini dianggap sudah berakhir (bawaan 30).' },
    'ja-JP': { title: 'セッションの無操作タイムアウト（分）', description: 'フックのイベントがこの時間ないエージェントのセッションは終了したとみなします（既定 30）。' },
  },
  stormPerMinute: {
    'id-ID': { title: 'Permintaan per menit sebelum dijeda', description: 'Jumlah permintaan per menit dari satu sesi agen sebelum sesi itu dijeda dan orangnya ditanya sekali (bawaan 60).' },
    'ja-JP': { title: '一時停止までの毎分リクエスト数', description: '1 つのエージェントのセッションからのリクエストが 1 分あたりこの数に達すると、そのセッションを一時停止し、本人に一度だけ確認します（既定 60）。' },
  },
  timeline: {
    'id-ID': { title: 'Linimasa', description: 'Indeks lokal yang dapat dicari dari setiap peristiwa yang dicatat pendamping (`cowork-companion timeline`).' },
    'ja-JP': { title: 'タイムライン', description: 'コンパニオンが記録したすべてのイベントを検索できるローカルの索引（`cowork-companion timeline`）。' },
  },
  'timeline.retentionDays': {
    'id-ID': { title: 'Masa simpan linimasa (hari)', description: `Berapa hari peristiwa disimpan di linimasa lokal untuk pencarian (bawaan ${DEFAULT_TIMELINE_RETENTION_DAYS}); yang lebih lama dihapus darinya. Jurnal bukti dan apa yang diterima kolektor tidak terpengaruh.` },
    'ja-JP': { title: 'タイムラインの保存期間（日）', description: `ローカルのタイムラインが検索用にイベントを保持する日数（既定 ${DEFAULT_TIMELINE_RETENTION_DAYS}）。それより古いものはタイムラインから削除されます。証跡のジャーナルとコレクターが受け取ったものには影響しません。` },
  },
  escalation: {
    'id-ID': { title: 'Eskalasi', description: 'Aturan yang memberi tahu, menahan, atau menghentikan sesi agen yang terus gagal, terus ditolak, atau mengubah berkas di luar cakupannya, dan siapa yang dihubungi tentang hal itu.' },
    'ja-JP': { title: 'エスカレーション', description: '失敗や拒否が続く、または共有範囲外のファイルを変更するエージェントのセッションを通知・保留・停止するルールと、その連絡先。' },
  },
  'escalation.contact': {
    'id-ID': { title: 'Kontak eskalasi', description: 'Siapa yang dihubungi orang saat aturan menahan atau menghentikan sesi: ditampilkan di spanduk dan dibawa dalam `escalation.raised`.' },
    'ja-JP': { title: 'エスカレーションの連絡先', description: 'ルールがセッションを保留・停止したときの連絡先。バナーに表示され、`escalation.raised` に含まれます。' },
  },
  'escalation.contact.name': {
    'id-ID': { title: 'Nama kontak eskalasi', description: 'Siapa yang menangani eskalasi (meja layanan atau orang): ditampilkan di spanduk dan dibawa dalam `escalation.raised`.' },
    'ja-JP': { title: 'エスカレーションの連絡先の名前', description: 'エスカレーションを担当する窓口または人。バナーに表示され、`escalation.raised` に含まれます。' },
  },
  'escalation.contact.email': {
    'id-ID': { title: 'Surel kontak eskalasi', description: 'Alamat surelnya: tautan mailto di spanduk, dan dalam `escalation.raised` untuk perutean.' },
    'ja-JP': { title: 'エスカレーションの連絡先のメールアドレス', description: 'そのメールアドレス。バナーではメール送信のリンクになり、振り分けのため `escalation.raised` に含まれます。' },
  },
  'escalation.contact.url': {
    'id-ID': { title: 'Halaman web kontak eskalasi', description: 'Halaman web (http atau https) untuk eskalasi, mis. formulir tiket: tautan di spanduk.' },
    'ja-JP': { title: 'エスカレーションの連絡先の Web ページ', description: 'エスカレーション用の Web ページ（http/https。例: チケットのフォーム）。バナーのリンクになります。' },
  },
  'escalation.allowPersonalRules': {
    'id-ID': { title: 'Orang boleh menambah aturan eskalasi', description: 'Apakah orang boleh menambahkan aturan eskalasi sendiri di Pengaturan (bawaan: ya). Aturan itu hanya menambah: aturan milik orang memberi tahu, menahan, atau menghentikan sesi, tidak pernah meloloskan apa pun.' },
    'ja-JP': { title: 'エスカレーションのルールの追加を許可', description: '各自が設定画面で独自のエスカレーションのルールを追加できるかどうか（既定: はい）。追加するだけで、個人のルールはセッションを通知・保留・停止するのみで、何かを許可することはありません。' },
  },
  'escalation.rules': {
    'id-ID': {
      title: 'Aturan eskalasi',
      description:
        'Aturan atas peristiwa terbaru satu sesi agen, masing-masing `{ id, when, action, severity?, title? }`. `when` menyebut satu kondisi dengan `atLeast` (1 sampai 1000) dan `withinMinutes` (1 sampai 1440): `toolErrors` (panggilan alat yang gagal dan galat API), `denials` (permintaan yang ditolak), `outOfScope` (perubahan di luar folder bersama; `severity: "high"` saja langsung terpicu oleh satu perubahan di tempat terlindungi), `gated` (panggilan yang dicakup aturan tolak atau tanya) atau `repeated` (permintaan yang sama lagi). `action`: "notify" (spanduk dan `escalation.raised`), "hold" (setiap permintaan berikutnya dari sesi itu menunggu orang, bahkan yang diizinkan aturan) atau "stop" (setiap permintaan berikutnya ditolak, dengan menyebut aturan dan kontaknya) sampai seseorang melanjutkan sesi. `severity` "warn" atau "error" (bawaan: warn untuk notify, error untuk lainnya). Id harus unik.',
    },
    'ja-JP': {
      title: 'エスカレーションのルール',
      description:
        '1 つのエージェントのセッションの最近のイベントに対するルール。それぞれ `{ id, when, action, severity?, title? }`。`when` は条件を 1 つ、`atLeast`（1〜1000）と `withinMinutes`（1〜1440）とともに指定します: `toolErrors`（失敗したツール呼び出しと `api_error`）、`denials`（拒否されたリクエスト）、`outOfScope`（共有フォルダー外の変更。`severity: "high"` だけなら保護された場所の変更 1 件で発火）、`gated`（拒否・確認ルールの対象の呼び出し）、`repeated`（同じリクエストの繰り返し）。`action`: "notify"（バナーと `escalation.raised`）、"hold"（そのセッションの以降のリクエストは、ルールが許可するものも含めすべて人の判断を待つ）、"stop"（以降のリクエストはルールと連絡先を示して拒否）。人がセッションを再開するまで続きます。`severity` は "warn" または "error"（既定: "notify" は "warn"、それ以外は "error"）。id は一意です。',
    },
  },
  telemetry: {
    'id-ID': { title: 'Telemetri', description: 'Ke mana bukti dikirim dan bagaimana bukti disamarkan; mengalahkan variabel lingkungan OTEL_*.' },
    'ja-JP': { title: 'テレメトリー', description: '証跡の送信先と秘匿化の方法。OTEL_* 環境変数より優先されます。' },
  },
  'telemetry.endpoint': {
    'id-ID': { title: 'Alamat kolektor', description: 'URL log OTLP/HTTP lengkap milik kolektor (mis. https://otel.example.com/v1/logs) tujuan bukti; mengalahkan lingkungan.' },
    'ja-JP': { title: 'コレクターのアドレス', description: '証跡の送信先となるコレクターの OTLP/HTTP ログ用の完全な URL（例: https://otel.example.com/v1/logs）。環境変数より優先されます。' },
  },
  'telemetry.headers': {
    'id-ID': { title: 'Header kolektor', description: 'Header HTTP tambahan yang dikirim ke kolektor (mis. authorization): objek dari nama header ke nilainya. Digabung di atas OTEL_EXPORTER_OTLP_HEADERS; tidak pernah dicatat atau ditampilkan.' },
    'ja-JP': { title: 'コレクターのヘッダー', description: 'コレクターに送る追加の HTTP ヘッダー（例: authorization）: ヘッダー名から値への対応を表すオブジェクト。OTEL_EXPORTER_OTLP_HEADERS に上書きでマージされます。ログや画面には一切出ません。' },
  },
  'telemetry.protocol': {
    'id-ID': { title: 'Protokol OTLP', description: 'Cara bukti dikodekan untuk kolektor: "http/json" atau "http/protobuf" (bawaan: dari lingkungan, selain itu http/json).' },
    'ja-JP': { title: 'OTLP プロトコル', description: 'コレクター向けの証跡のエンコード方式: "http/json" または "http/protobuf"（既定: 環境変数の値、なければ http/json）。' },
  },
  'telemetry.redaction': {
    'id-ID': { title: 'Penyamaran', description: 'Bagaimana bukti disamarkan sebelum ditulis ke jurnal, dan karena itu sebelum apa pun meninggalkan komputer.' },
    'ja-JP': { title: '秘匿化', description: '証跡をジャーナルに書き込む前、つまり何かがコンピューターの外に出る前に行う秘匿化の方法。' },
  },
  'telemetry.redaction.identity': {
    'id-ID': { title: 'Atribut identitas', description: `Apa yang terjadi pada atribut yang mengidentifikasi seseorang (${attributes}) dan pada alamat email di teks mana pun: "keep" (pertahankan, bawaan), "hmac" (diganti dengan hmac-sha256:<hex>, memerlukan hmacKey) atau "drop" (hapus).` },
    'ja-JP': { title: '個人を識別する属性', description: `個人を識別する属性（${attributes}）と、あらゆるテキスト中のメールアドレスの扱い: "keep"（そのまま、既定）、"hmac"（hmac-sha256:<hex> に置き換え、hmacKey が必要）、"drop"（削除）。` },
  },
  'telemetry.redaction.hmacKey': {
    'id-ID': { title: 'Kunci HMAC', description: `Kunci rahasia untuk identity "hmac" (wajib dalam hal itu, minimal ${HMAC_KEY_MIN_CHARS} karakter). Tidak pernah dicatat atau ditampilkan.` },
    'ja-JP': { title: 'HMAC キー', description: `identity が "hmac" のときの秘密鍵（その場合は必須、${HMAC_KEY_MIN_CHARS} 文字以上）。ログや画面には一切出ません。` },
  },
  'telemetry.redaction.shortenHomePaths': {
    'id-ID': { title: 'Persingkat jalur folder rumah', description: 'Ganti folder rumah di awal jalur (di atribut mana pun) dengan `~` (bawaan: ya).' },
    'ja-JP': { title: 'ホームフォルダーのパスを短縮', description: 'パスの先頭にあるホームフォルダーを（どの属性でも）`~` に置き換えます（既定: 置き換える）。' },
  },
  'telemetry.redaction.exportToolInput': {
    'id-ID': { title: 'Ekspor masukan alat', description: 'Ekspor isi masukan alat (isi file, teks suntingan, prompt). Nonaktif secara bawaan.' },
    'ja-JP': { title: 'ツール入力のエクスポート', description: 'ツール入力の内容（ファイルの内容、編集文字列、プロンプト）をエクスポートします。既定はオフです。' },
  },
  'telemetry.redaction.toolInputMaxChars': {
    'id-ID': { title: 'Batas panjang masukan alat', description: `Jika masukan alat diekspor, isinya dipotong hingga sekian karakter, ditambah penanda (bawaan ${DEFAULT_TOOL_INPUT_MAX_CHARS}).` },
    'ja-JP': { title: 'ツール入力の長さの上限', description: `ツール入力をエクスポートするとき、この文字数で切り詰め、印を付けます（既定 ${DEFAULT_TOOL_INPUT_MAX_CHARS}）。` },
  },
  'telemetry.journalLimitMb': {
    'id-ID': { title: 'Batas ukuran jurnal (MB)', description: `Anggaran disk untuk jurnal bukti; di atasnya peristiwa tertua yang belum terkirim dibuang, dan dihitung (bawaan ${DEFAULT_JOURNAL_LIMIT_MB}).` },
    'ja-JP': { title: 'ジャーナルのサイズ上限（MB）', description: `証跡ジャーナルのディスク容量の上限。超えると、未送信の最も古いイベントから破棄し、その数を記録します（既定 ${DEFAULT_JOURNAL_LIMIT_MB}）。` },
  },
  claudeCode: {
    'id-ID': { title: 'Claude Code', description: 'Apa yang dibawa pengaturan terkelola Claude Code yang dihasilkan, selain hook dan sandbox milik pendamping.' },
    'ja-JP': { title: 'Claude Code', description: '生成される Claude Code の管理設定に、コンパニオンのフックとサンドボックス以外に含める内容。' },
  },
  'claudeCode.telemetry': {
    'id-ID': { title: 'Telemetri Claude Code sendiri', description: 'Claude Code mengirim OpenTelemetry-nya sendiri (metrik dan peristiwa) ke kolektor organisasi (bawaan: tidak).' },
    'ja-JP': { title: 'Claude Code 自身のテレメトリー', description: 'Claude Code 自身の OpenTelemetry（メトリクスとイベント）を組織のコレクターに送ります（既定: 送らない）。' },
  },
  'claudeCode.otlpEndpoint': {
    'id-ID': { title: 'Alamat kolektor untuk Claude Code', description: 'URL dasar OTLP/HTTP kolektor tersebut (mis. https://otel.example.com:4318); bawaan: `telemetry.endpoint` tanpa `/v1/logs`-nya.' },
    'ja-JP': { title: 'Claude Code 用のコレクターのアドレス', description: 'そのコレクターの OTLP/HTTP のベース URL（例: https://otel.example.com:4318）。既定: `telemetry.endpoint` から `/v1/logs` を除いたもの。' },
  },
  'claudeCode.allowManagedReadPathsOnly': {
    'id-ID': { title: 'Sandbox hanya membaca jalur terkelola', description: 'Sandbox Bash hanya membaca apa yang diizinkan pengaturan terkelola (`sandbox.filesystem.allowManagedReadPathsOnly` milik Claude Code; bawaan: tidak).' },
    'ja-JP': { title: 'サンドボックスは管理対象のパスのみ読み取り', description: 'Bash のサンドボックスが読み取れるのは管理設定で許可された場所だけになります（Claude Code の `sandbox.filesystem.allowManagedReadPathsOnly`、既定: オフ）。' },
  },
  organization: {
    'id-ID': { title: 'Organisasi', description: 'Siapa yang menetapkan kebijakan: ditampilkan di samping pengaturan yang terkunci.' },
    'ja-JP': { title: '組織', description: 'ポリシーを設定している組織。ロックされた設定の横に表示されます。' },
  },
  'organization.name': {
    'id-ID': { title: 'Nama organisasi', description: 'Ditampilkan di samping pengaturan yang dikunci kebijakan ("Diatur oleh <nama>").' },
    'ja-JP': { title: '組織名', description: 'ポリシーでロックされた設定の横に表示されます（「<組織名> が設定」）。' },
  },
  'organization.contact': {
    'id-ID': { title: 'Kontak', description: 'Cara orang menghubungi TI tentang pengaturan yang terkunci: alamat, nomor telepon, atau halaman web.' },
    'ja-JP': { title: '連絡先', description: 'ロックされた設定について IT 部門に連絡する方法: アドレス、電話番号、または Web ページ。' },
  },
};

/** The label of an enum value in each language (the value itself is shown after it). */
export const ENUM_LABELS: Record<string, Record<TemplateLanguage, string>> = {
  deny: { 'en-US': 'Deny', 'id-ID': 'Tolak', 'ja-JP': '拒否' },
  ask: { 'en-US': 'Ask the person', 'id-ID': 'Tanyakan kepada orangnya', 'ja-JP': '本人に確認' },
  hold: { 'en-US': 'Hold', 'id-ID': 'Tahan', 'ja-JP': '保留' },
  allow: { 'en-US': 'Allow', 'id-ID': 'Izinkan', 'ja-JP': '許可' },
  keep: { 'en-US': 'Keep', 'id-ID': 'Pertahankan', 'ja-JP': 'そのまま' },
  hmac: { 'en-US': 'Replace by an HMAC', 'id-ID': 'Ganti dengan HMAC', 'ja-JP': 'HMAC に置き換え' },
  drop: { 'en-US': 'Drop', 'id-ID': 'Hapus', 'ja-JP': '削除' },
  'http/json': { 'en-US': 'OTLP/HTTP, JSON', 'id-ID': 'OTLP/HTTP, JSON', 'ja-JP': 'OTLP/HTTP（JSON）' },
  'http/protobuf': { 'en-US': 'OTLP/HTTP, Protobuf', 'id-ID': 'OTLP/HTTP, Protobuf', 'ja-JP': 'OTLP/HTTP（Protobuf）' },
};

/** The fixed phrases of the templates: the file's own name and description, supportedOn, and the
 *  lines each explain text ends with (where the value goes and its form). */
interface TemplatePhrases {
  fileDescription: string;
  supportedOn: string;
  /** The policy key as the JSON file and `policy show` name it. */
  key: (key: string) => string;
  /** Where Group Policy writes the value: registry key, value name, value type. */
  registry: (key: string, valueName: string, type: string) => string;
  /** Where Group Policy writes a list: its own subkey, one value of `type` per entry named 1, 2, 3… */
  registryList: (key: string, type: string) => string;
  boolean: string;
  range: (min: number, max: number) => string;
  list: string;
  json: string;
  /** The label of a value's input box in the policy's dialog. */
  valueLabel: string;
  listLabel: string;
  jsonLabel: string;
  yes: string;
  no: string;
}

export const TEMPLATE_PHRASES: Record<TemplateLanguage, TemplatePhrases> = {
  'en-US': {
    fileDescription: 'Group Policy settings of Cowork Companion: the managed policy, generated from its schema.',
    supportedOn: 'Cowork Companion 0.1 and later',
    key: (key) => `Policy key: ${key}`,
    registry: (key, valueName, type) => `Registry: ${key}, value ${valueName} (${type}).`,
    registryList: (key, type) => `Registry: ${key}, one ${type} value per entry, named 1, 2, 3…`,
    boolean: 'Enabled: on (1). Disabled: off (0). Not configured: the default applies.',
    range: (min, max) => `A whole number from ${min} to ${max}.`,
    list: 'Click Show… and enter one entry per row.',
    json: 'The value is JSON text of the shape described above.',
    valueLabel: 'Value:',
    listLabel: 'Entries (one per line):',
    jsonLabel: 'JSON text:',
    yes: 'on',
    no: 'off',
  },
  'id-ID': {
    fileDescription: 'Pengaturan Kebijakan Grup untuk Cowork Companion: kebijakan terkelola, dihasilkan dari skemanya.',
    supportedOn: 'Cowork Companion 0.1 dan yang lebih baru',
    key: (key) => `Kunci kebijakan: ${key}`,
    registry: (key, valueName, type) => `Registri: ${key}, nilai ${valueName} (${type}).`,
    registryList: (key, type) => `Registri: ${key}, satu nilai ${type} per entri, bernama 1, 2, 3…`,
    boolean: 'Diaktifkan: aktif (1). Dinonaktifkan: nonaktif (0). Tidak dikonfigurasi: nilai bawaan berlaku.',
    range: (min, max) => `Bilangan bulat dari ${min} sampai ${max}.`,
    list: 'Klik Tampilkan… lalu masukkan satu entri per baris.',
    json: 'Nilainya berupa teks JSON dengan bentuk yang dijelaskan di atas.',
    valueLabel: 'Nilai:',
    listLabel: 'Entri (satu per baris):',
    jsonLabel: 'Teks JSON:',
    yes: 'aktif',
    no: 'nonaktif',
  },
  'ja-JP': {
    fileDescription: 'Cowork Companion のグループ ポリシー設定: スキーマから生成した管理ポリシーです。',
    supportedOn: 'Cowork Companion 0.1 以降',
    key: (key) => `ポリシーのキー: ${key}`,
    registry: (key, valueName, type) => `レジストリ: ${key}、値 ${valueName}（${type}）。`,
    registryList: (key, type) => `レジストリ: ${key}、1 項目につき ${type} 値 1 つ（名前は 1、2、3…）。`,
    boolean: '有効: オン (1)。無効: オフ (0)。未構成: 既定値が適用されます。',
    range: (min, max) => `${min} から ${max} までの整数。`,
    list: '[表示...] をクリックし、1 行に 1 項目を入力します。',
    json: '値は、上記の形式の JSON テキストです。',
    valueLabel: '値:',
    listLabel: '項目（1 行に 1 つ）:',
    jsonLabel: 'JSON テキスト:',
    yes: 'オン',
    no: 'オフ',
  },
};
