# constat-probe.ps1 - read-only state probe of a Windows host for constat.
#
# Compatible with Windows PowerShell 5.1. It changes nothing on the host: every command below
# only reads. It prints ONE JSON document on stdout:
#   { "probe": "constat-probe.ps1", "probe_version": 1, "host": {...},
#     "sections": { "<name>": {"status": "collected", "data": ...}
#                           | {"status": "not_collected", "reason": "..."}
#                           | {"status": "error", "message": "..."} } }
# constat (Rust, crate constat-windows, module probe) turns this into a snapshot. Enums are
# written as names (.ToString()) so that the JSON reads the same on every Windows version.
#
# Parameters:
#   -RsopUser   DOMAIN\user whose resultant set of policy is recorded (clients).
#   -Files      absolute paths (C:\Scripts\Export-Comptes.ps1) the rule pack asks about; the
#               "files" section reports on them. constat passes them from the pack.
#   -HeadBytes  bytes read from the start of each requested file (default 4096, at most 65536).
#
# A trainer can run it by hand:
#   powershell -ExecutionPolicy Bypass -File constat-probe.ps1 -Files C:\Scripts\Export-Comptes.ps1
param([string]$RsopUser = "", [string[]]$Files = @(), [int]$HeadBytes = 4096)

Set-StrictMode -Version 2.0
$ErrorActionPreference = "Stop"
$ProgressPreference = "SilentlyContinue"

$started = (Get-Date).ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ")
$sections = [ordered]@{}

# Runs one section: its script block returns the data; any error becomes status "error".
# A script block may return (NotCollected "reason") when the role is not installed.
function Invoke-Section([string]$Name, [scriptblock]$Body) {
    try {
        $data = & $Body
        if ($data -is [hashtable] -and $data.ContainsKey("__not_collected")) {
            $sections[$Name] = [ordered]@{ status = "not_collected"; reason = $data["__not_collected"] }
        } else {
            $sections[$Name] = [ordered]@{ status = "collected"; data = $data }
        }
    } catch {
        $sections[$Name] = [ordered]@{ status = "error"; message = "$Name : $($_.Exception.Message)" }
    }
}

function NotCollected([string]$Reason) { return @{ "__not_collected" = $Reason } }

# Always an array, even with zero or one element (ConvertTo-Json unwraps single items).
function AsArray($Items) { return ,@($Items) }

function Test-Feature([string]$Name) {
    if (-not (Get-Command Get-WindowsFeature -ErrorAction SilentlyContinue)) { return $false }
    $f = Get-WindowsFeature -Name $Name -ErrorAction SilentlyContinue
    return ($null -ne $f -and $f.Installed)
}

function Get-DateText($Value) {
    if ($null -eq $Value) { return $null }
    return ([datetime]$Value).ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ")
}

# --- identity -------------------------------------------------------------------------
$os = Get-CimInstance Win32_OperatingSystem
$cs = Get-CimInstance Win32_ComputerSystem
$hostInfo = [ordered]@{
    hostname       = $env:COMPUTERNAME
    fqdn           = ([System.Net.Dns]::GetHostEntry("localhost")).HostName
    machine_id     = (Get-ItemProperty "HKLM:\SOFTWARE\Microsoft\Cryptography" -Name MachineGuid).MachineGuid
    os_name        = $os.Caption
    os_version     = $os.Version
    build          = $os.BuildNumber
    arch           = $env:PROCESSOR_ARCHITECTURE
    timezone       = (Get-TimeZone).Id
    uptime_seconds = [int64]((Get-Date) - $os.LastBootUpTime).TotalSeconds
    domain         = $(if ($cs.PartOfDomain) { $cs.Domain } else { $null })
}
$elevated = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole(
    [Security.Principal.WindowsBuiltInRole]::Administrator)

# --- domain membership ----------------------------------------------------------------
Invoke-Section "domain_membership" {
    $secure = $null
    if ($cs.PartOfDomain) {
        try { $secure = Test-ComputerSecureChannel -ErrorAction Stop } catch { $secure = $null }
    }
    [ordered]@{
        PartOfDomain  = $cs.PartOfDomain
        Domain        = $cs.Domain
        Workgroup     = $cs.Workgroup
        DomainRole    = $cs.DomainRole
        SecureChannel = $secure
        LogonServer   = $env:LOGONSERVER
    }
}

# --- local users and groups -----------------------------------------------------------
Invoke-Section "users" {
    if ($cs.DomainRole -ge 4) { return NotCollected "domain controller: no local accounts (see the directory snapshot)" }
    AsArray (Get-LocalUser | ForEach-Object {
        [ordered]@{
            Name = $_.Name; SID = $_.SID.Value; Enabled = $_.Enabled; FullName = $_.FullName
            Description = $_.Description; PasswordRequired = $_.PasswordRequired
            PasswordExpires = Get-DateText $_.PasswordExpires; PasswordLastSet = Get-DateText $_.PasswordLastSet
        }
    })
}
Invoke-Section "groups" {
    if ($cs.DomainRole -ge 4) { return NotCollected "domain controller: no local groups (see the directory snapshot)" }
    AsArray (Get-LocalGroup | ForEach-Object {
        $members = @()
        # Get-LocalGroupMember fails on orphaned SIDs; fall back to the ADSI view.
        try { $members = @(Get-LocalGroupMember -Group $_ | ForEach-Object { $_.Name }) }
        catch { $members = @(([ADSI]"WinNT://./$($_.Name),group").psbase.Invoke("Members") | ForEach-Object { $_.GetType().InvokeMember("AdsPath", "GetProperty", $null, $_, $null) }) }
        [ordered]@{ Name = $_.Name; SID = $_.SID.Value; Members = AsArray $members }
    })
}

# --- services -------------------------------------------------------------------------
Invoke-Section "services" {
    AsArray (Get-CimInstance Win32_Service | ForEach-Object {
        [ordered]@{
            Name = $_.Name; DisplayName = $_.DisplayName; State = $_.State; StartMode = $_.StartMode
            StartName = $_.StartName; PathName = $_.PathName; ProcessId = $_.ProcessId
        }
    })
}

# --- firewall -------------------------------------------------------------------------
Invoke-Section "firewall" {
    $profiles = Get-NetFirewallProfile | ForEach-Object {
        [ordered]@{
            Name = $_.Name; Enabled = $_.Enabled.ToString()
            DefaultInboundAction = $_.DefaultInboundAction.ToString(); DefaultOutboundAction = $_.DefaultOutboundAction.ToString()
        }
    }
    $rules = Get-NetFirewallRule | Where-Object { $_.Enabled -eq "True" } | ForEach-Object {
        $port = $_ | Get-NetFirewallPortFilter
        $addr = $_ | Get-NetFirewallAddressFilter
        [ordered]@{
            Name = $_.Name; DisplayName = $_.DisplayName; Enabled = $_.Enabled.ToString()
            Direction = $_.Direction.ToString(); Action = $_.Action.ToString(); Profile = $_.Profile.ToString()
            Protocol = "$($port.Protocol)"; LocalPort = AsArray $port.LocalPort
            RemoteAddress = AsArray $addr.RemoteAddress; LocalAddress = AsArray $addr.LocalAddress
        }
    }
    [ordered]@{ profiles = AsArray $profiles; rules = AsArray $rules }
}

# --- SMB shares with share ACL and NTFS ACL -------------------------------------------
Invoke-Section "shares" {
    AsArray (Get-SmbShare | Where-Object { -not $_.Special -or $_.Name -in @("SYSVOL", "NETLOGON") } | ForEach-Object {
        $share = $_
        $access = Get-SmbShareAccess -Name $share.Name | ForEach-Object {
            [ordered]@{ AccountName = $_.AccountName; AccessControlType = $_.AccessControlType.ToString(); AccessRight = $_.AccessRight.ToString() }
        }
        $ntfs = @()
        if ($share.Path -and (Test-Path -LiteralPath $share.Path)) {
            $ntfs = (Get-Acl -LiteralPath $share.Path).Access | ForEach-Object {
                [ordered]@{
                    IdentityReference = $_.IdentityReference.Value; AccessControlType = $_.AccessControlType.ToString()
                    FileSystemRights = $_.FileSystemRights.ToString(); IsInherited = $_.IsInherited
                }
            }
        }
        [ordered]@{ Name = $share.Name; Path = $share.Path; Description = $share.Description; Access = AsArray $access; Ntfs = AsArray $ntfs }
    })
}

# --- scheduled tasks (Microsoft's own tasks left out) ---------------------------------
Invoke-Section "scheduled_jobs" {
    AsArray (Get-ScheduledTask | Where-Object { $_.TaskPath -notlike "\Microsoft\*" } | ForEach-Object {
        $info = $_ | Get-ScheduledTaskInfo -ErrorAction SilentlyContinue
        [ordered]@{
            TaskName = $_.TaskName; TaskPath = $_.TaskPath; State = $_.State.ToString(); UserId = $_.Principal.UserId
            Actions = AsArray ($_.Actions | ForEach-Object { [ordered]@{ Execute = $_.Execute; Arguments = $_.Arguments } })
            Triggers = AsArray ($_.Triggers | ForEach-Object {
                [ordered]@{ Type = $_.CimClass.CimClassName; StartBoundary = $_.StartBoundary; DaysInterval = $_.DaysInterval; DaysOfWeek = $_.DaysOfWeek; Enabled = $_.Enabled }
            })
            LastRunTime = Get-DateText $info.LastRunTime; NextRunTime = Get-DateText $info.NextRunTime; LastTaskResult = $info.LastTaskResult
        }
    })
}

# --- roles and features, hotfixes -----------------------------------------------------
Invoke-Section "windows_features" {
    if (Get-Command Get-WindowsFeature -ErrorAction SilentlyContinue) {
        AsArray (Get-WindowsFeature | ForEach-Object {
            [ordered]@{ Name = $_.Name; DisplayName = $_.DisplayName; Installed = $_.Installed; InstallState = $_.InstallState.ToString(); FeatureType = $_.FeatureType }
        })
    } else {
        AsArray (Get-WindowsOptionalFeature -Online | ForEach-Object {
            [ordered]@{ Name = $_.FeatureName; DisplayName = $null; Installed = ($_.State.ToString() -eq "Enabled"); InstallState = $_.State.ToString(); FeatureType = "Optional Feature" }
        })
    }
}
Invoke-Section "windows_updates" {
    AsArray (Get-HotFix | ForEach-Object {
        [ordered]@{ HotFixID = $_.HotFixID; Description = $_.Description; InstalledOn = Get-DateText $_.InstalledOn; InstalledBy = $_.InstalledBy }
    })
}

# --- WSUS client policy: the raw `reg query` text, parsed by constat ------------------
Invoke-Section "wsus_client" {
    $key = "HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate"
    $text = (& reg.exe query $key /s 2>&1 | Out-String)
    [ordered]@{ reg_query = $text; exit_code = $LASTEXITCODE }
}

# --- server roles (not_collected when the role is absent) -----------------------------
Invoke-Section "wsus_server" {
    if (-not (Test-Feature "UpdateServices")) { return NotCollected "role absent (UpdateServices)" }
    $wsus = Get-WsusServer
    $config = $wsus.GetConfiguration()
    $sub = $wsus.GetSubscription()
    [ordered]@{
        Name = $wsus.Name; PortNumber = $wsus.PortNumber; UseSecureConnection = $wsus.UseSecureConnection
        ContentDir = (Get-ItemProperty "HKLM:\SOFTWARE\Microsoft\Update Services\Server\Setup" -Name ContentDir -ErrorAction SilentlyContinue).ContentDir
        TargetingMode = $config.TargetingMode.ToString()
        Products = AsArray ($sub.GetUpdateCategories() | ForEach-Object { $_.Title })
        Classifications = AsArray ($sub.GetUpdateClassifications() | ForEach-Object { $_.Title })
        Languages = AsArray $config.GetEnabledUpdateLanguages()
        TargetGroups = AsArray ($wsus.GetComputerTargetGroups() | ForEach-Object { $_.Name })
        Computers = AsArray ($wsus.GetComputerTargets() | ForEach-Object {
            [ordered]@{ FullDomainName = $_.FullDomainName; IPAddress = "$($_.IPAddress)"; LastReportedStatusTime = Get-DateText $_.LastReportedStatusTime
                        Groups = AsArray ($_.GetComputerTargetGroups() | ForEach-Object { $_.Name }) }
        })
        LastSyncTime = Get-DateText $sub.LastSynchronizationTime
        LastSyncResult = "$($sub.GetLastSynchronizationInfo().Result)"
        ApprovalRules = AsArray ($wsus.GetInstallApprovalRules() | ForEach-Object { "$($_.Name) (enabled: $($_.Enabled))" })
    }
}
# The effective DNS dynamic-update settings of the server or of one scope; $null when unread.
function Get-DhcpDnsFacts($Setting) {
    if ($null -eq $Setting) { return $null }
    [ordered]@{
        DynamicUpdates = "$($Setting.DynamicUpdates)"; DeleteDnsRROnLeaseExpiry = $Setting.DeleteDnsRROnLeaseExpiry
        UpdateDnsRRForOlderClients = $Setting.UpdateDnsRRForOlderClients; DisableDnsPtrRRUpdate = $Setting.DisableDnsPtrRRUpdate
        NameProtection = $Setting.NameProtection
    }
}
Invoke-Section "dhcp_server" {
    if (-not (Test-Feature "DHCP")) { return NotCollected "role absent (DHCP)" }
    $authorized = $null
    try { $authorized = [bool](Get-DhcpServerInDC | Where-Object { $_.DnsName -like "$env:COMPUTERNAME*" }) } catch { }
    [ordered]@{
        Authorized = $authorized
        DnsSettings = Get-DhcpDnsFacts (Get-DhcpServerv4DnsSetting -ErrorAction SilentlyContinue)
        ServerOptions = AsArray (Get-DhcpServerv4OptionValue -ErrorAction SilentlyContinue | ForEach-Object { [ordered]@{ OptionId = $_.OptionId; Name = $_.Name; Value = AsArray $_.Value } })
        Scopes = AsArray (Get-DhcpServerv4Scope | ForEach-Object {
            $id = $_.ScopeId
            [ordered]@{
                ScopeId = "$id"; Name = $_.Name; SubnetMask = "$($_.SubnetMask)"; StartRange = "$($_.StartRange)"; EndRange = "$($_.EndRange)"
                State = $_.State.ToString(); LeaseDuration = "$($_.LeaseDuration)"
                Exclusions = AsArray (Get-DhcpServerv4ExclusionRange -ScopeId $id | ForEach-Object { "$($_.StartRange)-$($_.EndRange)" })
                Options = AsArray (Get-DhcpServerv4OptionValue -ScopeId $id | ForEach-Object { [ordered]@{ OptionId = $_.OptionId; Name = $_.Name; Value = AsArray $_.Value } })
                Reservations = AsArray (Get-DhcpServerv4Reservation -ScopeId $id | ForEach-Object { [ordered]@{ IPAddress = "$($_.IPAddress)"; ClientId = $_.ClientId; Name = $_.Name } })
                Leases = AsArray (Get-DhcpServerv4Lease -ScopeId $id | ForEach-Object { [ordered]@{ IPAddress = "$($_.IPAddress)"; ClientId = $_.ClientId; HostName = $_.HostName; AddressState = "$($_.AddressState)"; LeaseExpiryTime = Get-DateText $_.LeaseExpiryTime } })
                DnsSettings = Get-DhcpDnsFacts (Get-DhcpServerv4DnsSetting -ScopeId $id -ErrorAction SilentlyContinue)
            }
        })
    }
}
Invoke-Section "dns_server" {
    if (-not (Test-Feature "DNS")) { return NotCollected "role absent (DNS)" }
    [ordered]@{
        Forwarders = AsArray ((Get-DnsServerForwarder).IPAddress | ForEach-Object { "$_" })
        Zones = AsArray (Get-DnsServerZone | Where-Object { -not $_.IsAutoCreated -and $_.ZoneName -ne "TrustAnchors" } | ForEach-Object {
            $zone = $_
            [ordered]@{
                ZoneName = $zone.ZoneName; ZoneType = "$($zone.ZoneType)"; IsDsIntegrated = $zone.IsDsIntegrated
                IsReverseLookupZone = $zone.IsReverseLookupZone; DynamicUpdate = "$($zone.DynamicUpdate)"
                Records = AsArray (Get-DnsServerResourceRecord -ZoneName $zone.ZoneName | ForEach-Object {
                    $d = $_.RecordData
                    # One clause per line: the grammar of tests/probe_grammar.rs needs it.
                    $text = switch ($_.RecordType) {
                        "A" { "$($d.IPv4Address)" }
                        "AAAA" { "$($d.IPv6Address)" }
                        "CNAME" { $d.HostNameAlias }
                        "NS" { $d.NameServer }
                        "PTR" { $d.PtrDomainName }
                        "MX" { "$($d.Preference) $($d.MailExchange)" }
                        "SRV" { "$($d.Priority) $($d.Weight) $($d.Port) $($d.DomainName)" }
                        "SOA" { "$($d.PrimaryServer) $($d.ResponsiblePerson) $($d.SerialNumber)" }
                        "TXT" { "`"$($d.DescriptiveText)`"" }
                        default { "$d" }
                    }
                    [ordered]@{ HostName = $_.HostName; RecordType = "$($_.RecordType)"; TimeToLive = [int]$_.TimeToLive.TotalSeconds; Data = $text }
                })
            }
        })
    }
}
Invoke-Section "windows_backup" {
    if (-not (Test-Feature "Windows-Server-Backup")) { return NotCollected "role absent (Windows-Server-Backup)" }
    $policy = Get-WBPolicy -ErrorAction SilentlyContinue
    $summary = Get-WBSummary -ErrorAction SilentlyContinue
    [ordered]@{
        PolicyConfigured = ($null -ne $policy)
        Schedule = AsArray ($(if ($policy) { Get-WBSchedule -Policy $policy | ForEach-Object { ([datetime]$_).ToString("HH:mm") } }))
        Targets = AsArray ($(if ($policy) { Get-WBBackupTarget -Policy $policy | ForEach-Object { "$($_.Label) $($_.Path)".Trim() } }))
        Sources = AsArray ($(if ($policy) {
            @(Get-WBVolume -Policy $policy | ForEach-Object { $_.MountPath }) +
            @(Get-WBFileSpec -Policy $policy | ForEach-Object { $_.FileSpec }) +
            @($(if (Get-WBSystemState -Policy $policy) { "SystemState" })) +
            @($(if (Get-WBBareMetalRecovery -Policy $policy) { "BareMetalRecovery" }))
        }))
        LastResult = $(if ($summary) { "$($summary.LastBackupResultHR)" } else { $null })
        LastSuccess = $(if ($summary) { Get-DateText $summary.LastSuccessfulBackupTime } else { $null })
        WbadminVersions = (& wbadmin.exe get versions 2>&1 | Out-String)
    }
}

# --- resultant set of policy (clients) ------------------------------------------------
Invoke-Section "rsop" {
    if ($RsopUser -eq "") { return NotCollected "no user given (-RsopUser DOMAIN\user)" }
    $xml = Join-Path $env:TEMP ("constat-rsop-" + [guid]::NewGuid().ToString() + ".xml")
    try {
        & gpresult.exe /user $RsopUser /x $xml /f 2>&1 | Out-Null
        $text = (& gpresult.exe /user $RsopUser /r 2>&1 | Out-String)
        [ordered]@{ User = $RsopUser; GpresultR = $text; GpresultX = $(if (Test-Path $xml) { Get-Content -Raw -LiteralPath $xml } else { $null }) }
    } finally {
        # The probe's own temporary report is its only write; it is removed here.
        Remove-Item -LiteralPath $xml -ErrorAction SilentlyContinue
    }
}

# --- drives and printers mapped in each user profile ----------------------------------
# Read in the hives that are loaded (users with a session): HKU\<sid>\Network\<letter>
# (persistent drive mappings), HKU\<sid>\Printers\Connections (",,server,printer" keys)
# and the "##server#share" keys of Explorer's MountPoints2. A hive that is not loaded is
# reported as such: loading it (reg load) would change the host.
function Get-PropertyValue($Object, [string]$Name) {
    if ($null -eq $Object) { return $null }
    $property = $Object.PSObject.Properties[$Name]
    if ($property) { return $property.Value }
    return $null
}
function Get-SubkeyNames([string]$Path) {
    if (-not (Test-Path -LiteralPath $Path)) { return @() }
    return @(Get-ChildItem -LiteralPath $Path -ErrorAction Stop | ForEach-Object { $_.PSChildName })
}
Invoke-Section "profile_mappings" {
    AsArray (Get-CimInstance Win32_UserProfile | Where-Object { -not $_.Special } | ForEach-Object {
        $prof = $_
        $sid = $prof.SID
        $account = $null
        try { $account = (New-Object System.Security.Principal.SecurityIdentifier($sid)).Translate([System.Security.Principal.NTAccount]).Value } catch { $account = $null }
        $root = "Registry::HKEY_USERS\$sid"
        $loaded = Test-Path -LiteralPath $root
        $drives = @(); $printers = @(); $mounted = @()
        $errors = New-Object System.Collections.ArrayList
        if ($loaded) {
            try {
                $drives = @(Get-SubkeyNames "$root\Network" | ForEach-Object {
                    $values = Get-ItemProperty -LiteralPath "$root\Network\$_"
                    [ordered]@{ Letter = $_; RemotePath = Get-PropertyValue $values "RemotePath"
                                UserName = Get-PropertyValue $values "UserName"; ProviderName = Get-PropertyValue $values "ProviderName" }
                })
            } catch { [void]$errors.Add("Network: $($_.Exception.Message)") }
            try { $printers = @(Get-SubkeyNames "$root\Printers\Connections") }
            catch { [void]$errors.Add("Printers\Connections: $($_.Exception.Message)") }
            try { $mounted = @(Get-SubkeyNames "$root\Software\Microsoft\Windows\CurrentVersion\Explorer\MountPoints2" | Where-Object { $_ -like "##*" }) }
            catch { [void]$errors.Add("MountPoints2: $($_.Exception.Message)") }
        }
        [ordered]@{
            SID = $sid; Account = $account; LocalPath = $prof.LocalPath; Loaded = $loaded
            Drives = AsArray $drives; Printers = AsArray $printers; MountPoints = AsArray $mounted; Errors = AsArray $errors.ToArray()
        }
    })
}

# --- deployment: MDT deployment shares and WDS images ---------------------------------
# A deployment share is a folder holding Control\CustomSettings.ini: every SMB share's folder
# is tried, then C:\DeploymentShare (the Workbench's default). Its control files are read as
# text, at most 1 MiB each; password and product-key values are masked here, before the text
# leaves the host, and again by constat. WDS images come from the WDS module when the role is
# installed.
$mdtControlFiles = @("CustomSettings.ini", "Bootstrap.ini", "TaskSequences.xml", "Applications.xml", "Settings.xml")
function Get-ControlFile([string]$Path) {
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { return $null }
    $item = Get-Item -LiteralPath $Path
    if ($item.Length -gt 1048576) { return [ordered]@{ Error = "$($item.Length) bytes, larger than 1048576: not read" } }
    $text = Get-Content -Raw -LiteralPath $Path
    if ($null -eq $text) { $text = "" }
    $masked = [regex]::Replace($text, "(?im)^(\s*(?!skip)[^;=\r\n]*(password|productkey)[^=\r\n]*=)[^\r\n]*", '$1***')
    return [ordered]@{ Text = $masked }
}
function Get-WdsImageFacts($Image) {
    [ordered]@{
        ImageName = "$(Get-PropertyValue $Image 'ImageName')"; Name = "$(Get-PropertyValue $Image 'Name')"
        ImageGroup = Get-PropertyValue $Image 'ImageGroup'; Architecture = "$(Get-PropertyValue $Image 'Architecture')"
        FileName = Get-PropertyValue $Image 'FileName'; Enabled = Get-PropertyValue $Image 'Enabled'
    }
}
Invoke-Section "deployment" {
    $shares = New-Object System.Collections.ArrayList
    $seen = @{}
    $folders = New-Object System.Collections.ArrayList
    if (Get-Command Get-SmbShare -ErrorAction SilentlyContinue) {
        Get-SmbShare | Where-Object { $_.Path } | ForEach-Object { [void]$folders.Add(@($_.Path, $_.Name)) }
    }
    [void]$folders.Add(@("C:\DeploymentShare", $null))
    foreach ($folder in $folders) {
        $path = $folder[0].TrimEnd("\")
        if ($seen.ContainsKey($path.ToLowerInvariant())) { continue }
        if (-not (Test-Path -LiteralPath (Join-Path $path "Control\CustomSettings.ini") -PathType Leaf)) { continue }
        $seen[$path.ToLowerInvariant()] = $true
        # The control files sit beside Path and ShareName (not in a nested object): the JSON
        # stays within ConvertTo-Json -Depth 8.
        $share = [ordered]@{ Path = $path; ShareName = $folder[1] }
        foreach ($name in $mdtControlFiles) {
            try { $share[$name] = Get-ControlFile (Join-Path (Join-Path $path "Control") $name) }
            catch { $share[$name] = [ordered]@{ Error = $_.Exception.Message } }
        }
        [void]$shares.Add($share)
    }
    $wds = $null
    if (Test-Feature "WDS") {
        $errors = New-Object System.Collections.ArrayList
        $boot = @(); $install = @()
        try { $boot = @(Get-WdsBootImage | ForEach-Object { Get-WdsImageFacts $_ }) } catch { [void]$errors.Add("Get-WdsBootImage: $($_.Exception.Message)") }
        try { $install = @(Get-WdsInstallImage | ForEach-Object { Get-WdsImageFacts $_ }) } catch { [void]$errors.Add("Get-WdsInstallImage: $($_.Exception.Message)") }
        $wds = [ordered]@{ BootImages = AsArray $boot; InstallImages = AsArray $install; Errors = AsArray $errors.ToArray() }
    }
    [ordered]@{ Shares = AsArray $shares.ToArray(); Wds = $wds }
}

# --- files the pack asks for (-Files) --------------------------------------------------
# For each path: whether it exists, what it is, size, last write time (UTC), owner, NTFS ACL
# (identity, Allow/Deny, rights, inherited), SHA-256 and the first -HeadBytes bytes of a file
# as base64. The bytes are sent raw on purpose: constat decodes them (UTF-8, UTF-8 or UTF-16
# with BOM, else Windows-1252), so a script saved by Notepad, ISE or Out-File reads the same.
# Everything is read-only: the file is opened for reading and shared with other writers.
function Get-FileFacts([string]$Path, [int]$Limit) {
    $facts = [ordered]@{ Path = $Path; Exists = $false }
    $errors = New-Object System.Collections.ArrayList
    if ($Path -notmatch '^[A-Za-z]:\\') {
        $facts.Errors = AsArray @("not an absolute local path: ask for C:\... style paths")
        return $facts
    }
    try {
        $item = Get-Item -LiteralPath $Path -Force -ErrorAction Stop
    } catch [System.Management.Automation.ItemNotFoundException] {
        return $facts
    } catch {
        $facts.Errors = AsArray @("cannot read: $($_.Exception.Message)")
        return $facts
    }
    $facts.Exists = $true
    $linkType = $null
    if ($item.PSObject.Properties["LinkType"]) { $linkType = $item.LinkType }
    if ($linkType -in @("SymbolicLink", "Junction")) {
        $facts.Kind = "Symlink"
        $facts.LinkTarget = "$(@($item.Target) -join ', ')"
    } elseif ($item.PSIsContainer) { $facts.Kind = "Directory" } else { $facts.Kind = "File" }
    $facts.Attributes = $item.Attributes.ToString()
    $facts.LastWriteTimeUtc = $item.LastWriteTimeUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", [Globalization.CultureInfo]::InvariantCulture)
    try {
        $acl = Get-Acl -LiteralPath $Path
        $facts.Owner = $acl.Owner
        $facts.Access = AsArray ($acl.Access | ForEach-Object {
            [ordered]@{
                IdentityReference = $_.IdentityReference.Value; AccessControlType = $_.AccessControlType.ToString()
                FileSystemRights = $_.FileSystemRights.ToString(); IsInherited = $_.IsInherited
            }
        })
    } catch { [void]$errors.Add("acl not read: $($_.Exception.Message)") }
    if ($facts.Kind -eq "Directory") {
        try {
            $names = @(Get-ChildItem -LiteralPath $Path -Force -Name -ErrorAction Stop | Sort-Object)
            $facts.EntryCount = $names.Count
            $facts.Entries = AsArray ($names | Select-Object -First 200)
        } catch { [void]$errors.Add("cannot list: $($_.Exception.Message)") }
    } elseif ($facts.Kind -eq "File") {
        $facts.Length = $item.Length
        # 64 MiB written out: the grammar of tests/probe_grammar.rs has no `64MB` literal.
        if ($item.Length -le 67108864) {
            try { $facts.SHA256 = (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant() }
            catch { [void]$errors.Add("not hashed: $($_.Exception.Message)") }
        } else { [void]$errors.Add("larger than 64 MiB: not hashed") }
        try {
            # One byte more than the limit tells constat whether the head is cut.
            $stream = [System.IO.File]::Open($Path, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, [System.IO.FileShare]::ReadWrite)
            try {
                $buffer = New-Object byte[] ($Limit + 1)
                $read = 0
                while ($read -lt $buffer.Length) {
                    $n = $stream.Read($buffer, $read, $buffer.Length - $read)
                    if ($n -le 0) { break }
                    $read += $n
                }
                $facts.HeadBase64 = [Convert]::ToBase64String($buffer, 0, $read)
                $facts.HeadLimit = $Limit
            } finally { $stream.Dispose() }
        } catch { [void]$errors.Add("cannot read content: $($_.Exception.Message)") }
    }
    if ($errors.Count -gt 0) { $facts.Errors = AsArray $errors.ToArray() }
    return $facts
}
Invoke-Section "files" {
    if ($Files.Count -eq 0) { return NotCollected "no file requested" }
    $limit = [Math]::Min([Math]::Max($HeadBytes, 0), 65536)
    # Same nesting depth as "shares" (ConvertTo-Json -Depth 8): a bare array of paths.
    AsArray ($Files | ForEach-Object { Get-FileFacts $_ $limit })
}

$result = [ordered]@{
    probe = "constat-probe.ps1"
    probe_version = 1
    started_at = $started
    finished_at = (Get-Date).ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ")
    elevated = $elevated
    host = $hostInfo
    sections = $sections
}
$result | ConvertTo-Json -Depth 8 -Compress
