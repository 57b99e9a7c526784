/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  mutation LogoutEverywhere {\n    logoutEverywhere\n  }\n": typeof types.LogoutEverywhereDocument,
    "\n  mutation RefreshToken {\n    refreshToken {\n      token\n    }\n  }\n": typeof types.RefreshTokenDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {\n      token\n    }\n  }\n": typeof types.ChangePasswordDocument,
    "\n  query MySessions {\n    mySessions {\n      id\n      createdAt\n      lastSeenAt\n      userAgent\n      current\n    }\n  }\n": typeof types.MySessionsDocument,
    "\n  query MyAccessLog($first: Int, $after: String) {\n    myAccessLog(first: $first, after: $after) {\n      at\n      actorName\n      actorRole\n      action\n      outcome\n      count\n      cursor\n    }\n  }\n": typeof types.MyAccessLogDocument,
    "\n  query MyTwoStep {\n    me {\n      id\n      mfaEnabled\n      mfaRequired\n    }\n  }\n": typeof types.MyTwoStepDocument,
    "\n  mutation StartMfaEnrollment {\n    startMfaEnrollment {\n      secret\n      otpauthUrl\n      recoveryCodes\n    }\n  }\n": typeof types.StartMfaEnrollmentDocument,
    "\n  mutation ConfirmMfaEnrollment($code: String!) {\n    confirmMfaEnrollment(code: $code)\n  }\n": typeof types.ConfirmMfaEnrollmentDocument,
    "\n  mutation DisableMfa($password: String!, $otp: String!) {\n    disableMfa(password: $password, otp: $otp)\n  }\n": typeof types.DisableMfaDocument,
    "\n  mutation AcceptInvitation($code: String!) {\n    acceptInvitation(code: $code)\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  query AnalyticsContext {\n    me {\n      id\n      staff {\n        id\n        practice {\n          id\n          name\n          timeZone\n        }\n      }\n      adminOf {\n        id\n        name\n        timeZone\n      }\n    }\n  }\n": typeof types.AnalyticsContextDocument,
    "\n  fragment PeriodFigures on PracticeAnalytics {\n    appointments\n    booked\n    completed\n    cancelled\n    noShows\n    lateCancelled\n    noShowRate\n    lateCancellationRate\n    utilization\n    medianLeadTimeDays\n    thirdNextAvailableDays\n    newPatientShare\n    selfBookedShare\n    confirmedShare\n    medianCycleMinutes\n  }\n": typeof types.PeriodFiguresFragmentDoc,
    "\n  query PracticeAnalytics($practiceId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    practiceAnalytics(practiceId: $practiceId, from: $from, to: $to) {\n      ...PeriodFigures\n      leadTimes {\n        fromDays\n        toDays\n        booked\n      }\n      byDay {\n        date\n        appointments\n        completed\n        cancelled\n        noShows\n      }\n      byDoctor {\n        doctor {\n          id\n          name\n        }\n        appointments\n        noShowRate\n        utilization\n      }\n      previous {\n        ...PeriodFigures\n      }\n    }\n  }\n": typeof types.PracticeAnalyticsDocument,
    "\n  subscription PracticeToday($practiceId: ID!) {\n    practiceToday(practiceId: $practiceId) {\n      date\n      booked\n      checkedIn\n      completed\n      noShows\n      cancelled\n      openSlots\n    }\n  }\n": typeof types.PracticeTodayDocument,
    "\n  mutation RegisterApp($input: RegisterAppInput!) {\n    registerApp(input: $input) {\n      id\n      clientId\n      name\n      redirectUris\n      scopes\n      clientSecret\n    }\n  }\n": typeof types.RegisterAppDocument,
    "\n  query MyAuthorizedApps {\n    myAuthorizedApps {\n      appId\n      name\n      practiceName\n      scopes\n      authorizedAt\n    }\n  }\n": typeof types.MyAuthorizedAppsDocument,
    "\n  mutation RevokeAppAuthorization($appId: ID!) {\n    revokeAppAuthorization(appId: $appId)\n  }\n": typeof types.RevokeAppAuthorizationDocument,
    "\n  query PracticeApps($practiceId: ID!) {\n    practiceApps(practiceId: $practiceId) {\n      id\n      clientId\n      name\n      redirectUris\n      scopes\n      confidential\n      createdAt\n    }\n  }\n": typeof types.PracticeAppsDocument,
    "\n  mutation UpdateApp($input: UpdateAppInput!) {\n    updateApp(input: $input) {\n      id\n      name\n      redirectUris\n      scopes\n    }\n  }\n": typeof types.UpdateAppDocument,
    "\n  mutation DeleteApp($appId: ID!) {\n    deleteApp(appId: $appId)\n  }\n": typeof types.DeleteAppDocument,
    "\n  fragment SignedInUser on User {\n    id\n    email\n    role\n    doctor {\n      id\n      name\n    }\n    patient {\n      id\n      name\n    }\n    staff {\n      id\n      name\n    }\n    adminOf {\n      id\n    }\n    mfaEnabled\n    mfaRequired\n  }\n": typeof types.SignedInUserFragmentDoc,
    "\n  mutation Login($email: String!, $password: String!, $otp: String) {\n    login(email: $email, password: $password, otp: $otp) {\n      token\n      user {\n        ...SignedInUser\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      token\n      user {\n        ...SignedInUser\n      }\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  query DemoAccounts {\n    demoAccounts {\n      email\n      name\n      role\n      password\n    }\n  }\n": typeof types.DemoAccountsDocument,
    "\n  fragment Availability on DoctorAvailability {\n    timeZone\n    weeklyHours {\n      weekday\n      startTime\n      endTime\n    }\n    daysOff\n  }\n": typeof types.AvailabilityFragmentDoc,
    "\n  query MyAvailability($doctorId: ID!) {\n    doctorAvailability(doctorId: $doctorId) {\n      ...Availability\n    }\n  }\n": typeof types.MyAvailabilityDocument,
    "\n  mutation SetWorkingHours($doctorId: ID!, $hours: [WorkingHoursInput!]!) {\n    setWorkingHours(doctorId: $doctorId, hours: $hours) {\n      ...Availability\n    }\n  }\n": typeof types.SetWorkingHoursDocument,
    "\n  mutation AddDayOff($doctorId: ID!, $date: String!) {\n    addDayOff(doctorId: $doctorId, date: $date) {\n      ...Availability\n    }\n  }\n": typeof types.AddDayOffDocument,
    "\n  mutation RemoveDayOff($doctorId: ID!, $date: String!) {\n    removeDayOff(doctorId: $doctorId, date: $date) {\n      ...Availability\n    }\n  }\n": typeof types.RemoveDayOffDocument,
    "\n  query AdminPracticeDoctors {\n    me {\n      id\n      adminOf {\n        id\n        name\n        bookableWithoutHours\n        doctors {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AdminPracticeDoctorsDocument,
    "\n  mutation SetBookableWithoutHours($practiceId: ID!, $allowed: Boolean!) {\n    setPracticeBookableWithoutHours(practiceId: $practiceId, allowed: $allowed) {\n      id\n      bookableWithoutHours\n    }\n  }\n": typeof types.SetBookableWithoutHoursDocument,
    "\n  fragment DoctorCard on Doctor {\n    id\n    name\n    specialty\n    timeZone\n    bookable\n  }\n": typeof types.DoctorCardFragmentDoc,
    "\n  query Doctors {\n    doctors {\n      ...DoctorCard\n    }\n  }\n": typeof types.DoctorsDocument,
    "\n  fragment MyAppointment on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    reason\n    confirmedAt\n    doctor {\n      id\n      name\n      specialty\n    }\n  }\n": typeof types.MyAppointmentFragmentDoc,
    "\n  query MyAppointments {\n    me {\n      id\n      patient {\n        id\n        appointments {\n          ...MyAppointment\n        }\n      }\n    }\n  }\n": typeof types.MyAppointmentsDocument,
    "\n  mutation BookAppointment($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      ...MyAppointment\n    }\n  }\n": typeof types.BookAppointmentDocument,
    "\n  query DoctorAvailability($doctorId: ID!) {\n    doctorAvailability(doctorId: $doctorId) {\n      timeZone\n      weeklyHours {\n        weekday\n        startTime\n        endTime\n      }\n    }\n  }\n": typeof types.DoctorAvailabilityDocument,
    "\n  query AvailableSlots($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $durationMinutes: Int) {\n    availableSlots(doctorId: $doctorId, from: $from, to: $to, durationMinutes: $durationMinutes)\n  }\n": typeof types.AvailableSlotsDocument,
    "\n  mutation CancelMyAppointment($id: ID!) {\n    cancelAppointment(id: $id) {\n      ...MyAppointment\n    }\n  }\n": typeof types.CancelMyAppointmentDocument,
    "\n  subscription MyAppointmentUpdated($after: String) {\n    myAppointmentUpdated(after: $after) {\n      cursor\n      change\n      appointment {\n        ...MyAppointment\n      }\n    }\n  }\n": typeof types.MyAppointmentUpdatedDocument,
    "\n  mutation RescheduleAppointment($id: ID!, $startsAt: DateTimeISO!) {\n    rescheduleAppointment(id: $id, startsAt: $startsAt) {\n      id\n      startsAt\n      endsAt\n      status\n    }\n  }\n": typeof types.RescheduleAppointmentDocument,
    "\n  mutation ConfirmMyAppointment($id: ID!) {\n    confirmAppointment(id: $id) {\n      ...MyAppointment\n    }\n  }\n": typeof types.ConfirmMyAppointmentDocument,
    "\n  fragment VitalsReading on Vitals {\n    id\n    recordedAt\n    heartRate\n    systolic\n    diastolic\n    temperatureC\n    spo2Percent\n    respiratoryRate\n    weightKg\n  }\n": typeof types.VitalsReadingFragmentDoc,
    "\n  subscription AppointmentUpdated($doctorId: ID!, $after: String) {\n    appointmentUpdated(doctorId: $doctorId, after: $after) {\n      cursor\n      change\n      appointment {\n        ...ScheduleItem\n        cancellationReason\n      }\n    }\n  }\n": typeof types.AppointmentUpdatedDocument,
    "\n  subscription VitalsRecorded($doctorId: ID!, $after: String) {\n    vitalsRecorded(doctorId: $doctorId, after: $after) {\n      cursor\n      patient {\n        id\n        latestVitals {\n          ...VitalsReading\n        }\n      }\n      vitals {\n        ...VitalsReading\n      }\n    }\n  }\n": typeof types.VitalsRecordedDocument,
    "\n  fragment UpdatedAppointment on Appointment {\n    ...ScheduleItem\n    cancellationReason\n  }\n": typeof types.UpdatedAppointmentFragmentDoc,
    "\n  fragment PatientLatestVitals on Patient {\n    id\n    latestVitals {\n      ...VitalsReading\n    }\n  }\n": typeof types.PatientLatestVitalsFragmentDoc,
    "\n  subscription PatientAdded($doctorId: ID!, $after: String) {\n    patientAdded(doctorId: $doctorId, after: $after) {\n      cursor\n      doctorId\n      firstVisit\n      patient {\n        ...PatientRow\n      }\n      appointment {\n        ...ScheduleItem\n      }\n    }\n  }\n": typeof types.PatientAddedDocument,
    "\n  query PatientVitals($patientId: ID!) {\n    patientVitals(patientId: $patientId, first: 20) {\n      ...VitalsReading\n    }\n  }\n": typeof types.PatientVitalsDocument,
    "\n  fragment MedicalRecordItem on MedicalRecord {\n    id\n    diagnosis\n    icd10Code\n    notes\n    createdAt\n    supersedesId\n    supersededById\n    doctor {\n      id\n      name\n    }\n  }\n": typeof types.MedicalRecordItemFragmentDoc,
    "\n  query PatientMedicalRecords($patientId: ID!) {\n    patientMedicalRecords(patientId: $patientId, includeSuperseded: true) {\n      ...MedicalRecordItem\n    }\n  }\n": typeof types.PatientMedicalRecordsDocument,
    "\n  mutation RecordVitals($patientId: ID!, $input: RecordVitalsInput!) {\n    recordVitals(patientId: $patientId, input: $input) {\n      ...VitalsReading\n    }\n  }\n": typeof types.RecordVitalsDocument,
    "\n  mutation AddMedicalRecord($patientId: ID!, $input: AddMedicalRecordInput!) {\n    addMedicalRecord(patientId: $patientId, input: $input) {\n      ...MedicalRecordItem\n    }\n  }\n": typeof types.AddMedicalRecordDocument,
    "\n  mutation CancelAppointment($id: ID!, $reason: String) {\n    cancelAppointment(id: $id, reason: $reason) {\n      id\n      status\n      cancellationReason\n      startsAt\n      endsAt\n    }\n  }\n": typeof types.CancelAppointmentDocument,
    "\n  mutation CompleteAppointment($id: ID!) {\n    completeAppointment(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.CompleteAppointmentDocument,
    "\n  fragment PatientRow on Patient {\n    id\n    name\n    dateOfBirth\n    appointments {\n      id\n      startsAt\n      endsAt\n      status\n      reason\n    }\n    latestVitals {\n      id\n      recordedAt\n      heartRate\n      systolic\n      diastolic\n      temperatureC\n      spo2Percent\n    }\n  }\n": typeof types.PatientRowFragmentDoc,
    "\n  query DoctorPatients($doctorId: ID!, $first: Int, $after: String) {\n    doctorPatients(doctorId: $doctorId, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...PatientRow\n        }\n      }\n    }\n  }\n": typeof types.DoctorPatientsDocument,
    "\n  fragment ScheduleItem on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    reason\n    confirmedAt\n    patient {\n      id\n      name\n    }\n  }\n": typeof types.ScheduleItemFragmentDoc,
    "\n  query DoctorSchedule($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    doctorSchedule(doctorId: $doctorId, from: $from, to: $to) {\n      ...ScheduleItem\n    }\n  }\n": typeof types.DoctorScheduleDocument,
    "\n  query DeskContext {\n    me {\n      id\n      staff {\n        id\n        admin\n        practice {\n          id\n          name\n          timeZone\n          doctors {\n            id\n            name\n            specialty\n            bookable\n          }\n        }\n      }\n    }\n  }\n": typeof types.DeskContextDocument,
    "\n  fragment BoardItem on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    reason\n    checkedInAt\n    confirmedAt\n    doctor {\n      id\n      name\n    }\n    patient {\n      id\n      name\n    }\n  }\n": typeof types.BoardItemFragmentDoc,
    "\n  query PracticeSchedule($practiceId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    practiceSchedule(practiceId: $practiceId, from: $from, to: $to) {\n      ...BoardItem\n    }\n  }\n": typeof types.PracticeScheduleDocument,
    "\n  mutation CheckIn($id: ID!) {\n    checkInAppointment(id: $id) {\n      ...BoardItem\n    }\n  }\n": typeof types.CheckInDocument,
    "\n  mutation UndoCheckIn($id: ID!) {\n    undoCheckIn(id: $id) {\n      ...BoardItem\n    }\n  }\n": typeof types.UndoCheckInDocument,
    "\n  mutation MarkNoShow($id: ID!) {\n    markNoShow(id: $id) {\n      ...BoardItem\n    }\n  }\n": typeof types.MarkNoShowDocument,
    "\n  query SearchPracticePatients($practiceId: ID!, $search: String, $first: Int) {\n    practicePatients(practiceId: $practiceId, search: $search, first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          dateOfBirth\n        }\n      }\n    }\n  }\n": typeof types.SearchPracticePatientsDocument,
    "\n  mutation BookForPatient($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      ...BoardItem\n    }\n  }\n": typeof types.BookForPatientDocument,
    "\n  subscription PracticeAppointmentUpdated($practiceId: ID!, $after: String) {\n    practiceAppointmentUpdated(practiceId: $practiceId, after: $after) {\n      cursor\n      change\n      appointment {\n        ...BoardItem\n      }\n    }\n  }\n": typeof types.PracticeAppointmentUpdatedDocument,
    "\n  subscription PracticePatientAdded($practiceId: ID!, $after: String) {\n    practicePatientAdded(practiceId: $practiceId, after: $after) {\n      cursor\n      firstVisit\n      appointment {\n        ...BoardItem\n      }\n    }\n  }\n": typeof types.PracticePatientAddedDocument,
    "\n  query AdminOf {\n    me {\n      id\n      adminOf {\n        id\n        name\n      }\n    }\n  }\n": typeof types.AdminOfDocument,
    "\n  query PracticeMembers($id: ID!) {\n    practice(id: $id) {\n      id\n      name\n      members {\n        id\n        name\n        email\n        role\n        admin\n      }\n      pendingInvitations {\n        id\n        email\n        role\n        admin\n        expiresAt\n      }\n    }\n  }\n": typeof types.PracticeMembersDocument,
    "\n  mutation CreateInvitation($input: InvitationInput!) {\n    createInvitation(input: $input) {\n      id\n      email\n      role\n      admin\n      expiresAt\n      code\n    }\n  }\n": typeof types.CreateInvitationDocument,
    "\n  mutation RemoveMember($practiceId: ID!, $userId: ID!) {\n    removeMember(practiceId: $practiceId, userId: $userId)\n  }\n": typeof types.RemoveMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  query PracticeSecurityEvents($practiceId: ID!) {\n    practiceSecurityEvents(practiceId: $practiceId, first: 50) {\n      id\n      at\n      action\n      outcome\n      actorName\n      clientAddress\n      userAgent\n    }\n  }\n": typeof types.PracticeSecurityEventsDocument,
    "\n  query NotificationPreferences {\n    notificationPreferences {\n      confirmations\n      reminders\n    }\n  }\n": typeof types.NotificationPreferencesDocument,
    "\n  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      confirmations\n      reminders\n    }\n  }\n": typeof types.UpdateNotificationPreferencesDocument,
    "\n  mutation RegisterPushSubscription($input: PushSubscriptionInput!) {\n    registerPushSubscription(input: $input)\n  }\n": typeof types.RegisterPushSubscriptionDocument,
    "\n  mutation UnregisterPushSubscription($endpoint: String!) {\n    unregisterPushSubscription(endpoint: $endpoint)\n  }\n": typeof types.UnregisterPushSubscriptionDocument,
    "\n  query MessageSettings {\n    me {\n      id\n      phone\n      notificationChannels\n      smsConsentAt\n    }\n  }\n": typeof types.MessageSettingsDocument,
    "\n  mutation UpdateNotificationSettings($input: NotificationSettingsInput!) {\n    updateNotificationSettings(input: $input) {\n      id\n      phone\n      notificationChannels\n      smsConsentAt\n    }\n  }\n": typeof types.UpdateNotificationSettingsDocument,
    "\n  fragment WebhookEndpointFields on WebhookEndpoint {\n    id\n    url\n    events\n    createdAt\n    disabledAt\n    disabledReason\n    includeReason\n  }\n": typeof types.WebhookEndpointFieldsFragmentDoc,
    "\n  query WebhookEndpoints($practiceId: ID!) {\n    webhookEndpoints(practiceId: $practiceId) {\n      ...WebhookEndpointFields\n    }\n  }\n": typeof types.WebhookEndpointsDocument,
    "\n  mutation CreateWebhookEndpoint($input: WebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) {\n      ...WebhookEndpointFields\n      secret\n    }\n  }\n": typeof types.CreateWebhookEndpointDocument,
    "\n  mutation DeleteWebhookEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n": typeof types.DeleteWebhookEndpointDocument,
    "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      ...WebhookEndpointFields\n      secret\n    }\n  }\n": typeof types.RotateWebhookSecretDocument,
    "\n  query WebhookDeliveries($endpointId: ID!, $first: Int) {\n    webhookDeliveries(endpointId: $endpointId, first: $first) {\n      id\n      eventId\n      eventType\n      attempts\n      status\n      lastStatusCode\n      lastError\n      nextAttemptAt\n      createdAt\n    }\n  }\n": typeof types.WebhookDeliveriesDocument,
    "\n  mutation RedeliverWebhook($deliveryId: ID!) {\n    redeliverWebhook(deliveryId: $deliveryId) {\n      id\n      status\n    }\n  }\n": typeof types.RedeliverWebhookDocument,
};
const documents: Documents = {
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  mutation LogoutEverywhere {\n    logoutEverywhere\n  }\n": types.LogoutEverywhereDocument,
    "\n  mutation RefreshToken {\n    refreshToken {\n      token\n    }\n  }\n": types.RefreshTokenDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {\n      token\n    }\n  }\n": types.ChangePasswordDocument,
    "\n  query MySessions {\n    mySessions {\n      id\n      createdAt\n      lastSeenAt\n      userAgent\n      current\n    }\n  }\n": types.MySessionsDocument,
    "\n  query MyAccessLog($first: Int, $after: String) {\n    myAccessLog(first: $first, after: $after) {\n      at\n      actorName\n      actorRole\n      action\n      outcome\n      count\n      cursor\n    }\n  }\n": types.MyAccessLogDocument,
    "\n  query MyTwoStep {\n    me {\n      id\n      mfaEnabled\n      mfaRequired\n    }\n  }\n": types.MyTwoStepDocument,
    "\n  mutation StartMfaEnrollment {\n    startMfaEnrollment {\n      secret\n      otpauthUrl\n      recoveryCodes\n    }\n  }\n": types.StartMfaEnrollmentDocument,
    "\n  mutation ConfirmMfaEnrollment($code: String!) {\n    confirmMfaEnrollment(code: $code)\n  }\n": types.ConfirmMfaEnrollmentDocument,
    "\n  mutation DisableMfa($password: String!, $otp: String!) {\n    disableMfa(password: $password, otp: $otp)\n  }\n": types.DisableMfaDocument,
    "\n  mutation AcceptInvitation($code: String!) {\n    acceptInvitation(code: $code)\n  }\n": types.AcceptInvitationDocument,
    "\n  query AnalyticsContext {\n    me {\n      id\n      staff {\n        id\n        practice {\n          id\n          name\n          timeZone\n        }\n      }\n      adminOf {\n        id\n        name\n        timeZone\n      }\n    }\n  }\n": types.AnalyticsContextDocument,
    "\n  fragment PeriodFigures on PracticeAnalytics {\n    appointments\n    booked\n    completed\n    cancelled\n    noShows\n    lateCancelled\n    noShowRate\n    lateCancellationRate\n    utilization\n    medianLeadTimeDays\n    thirdNextAvailableDays\n    newPatientShare\n    selfBookedShare\n    confirmedShare\n    medianCycleMinutes\n  }\n": types.PeriodFiguresFragmentDoc,
    "\n  query PracticeAnalytics($practiceId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    practiceAnalytics(practiceId: $practiceId, from: $from, to: $to) {\n      ...PeriodFigures\n      leadTimes {\n        fromDays\n        toDays\n        booked\n      }\n      byDay {\n        date\n        appointments\n        completed\n        cancelled\n        noShows\n      }\n      byDoctor {\n        doctor {\n          id\n          name\n        }\n        appointments\n        noShowRate\n        utilization\n      }\n      previous {\n        ...PeriodFigures\n      }\n    }\n  }\n": types.PracticeAnalyticsDocument,
    "\n  subscription PracticeToday($practiceId: ID!) {\n    practiceToday(practiceId: $practiceId) {\n      date\n      booked\n      checkedIn\n      completed\n      noShows\n      cancelled\n      openSlots\n    }\n  }\n": types.PracticeTodayDocument,
    "\n  mutation RegisterApp($input: RegisterAppInput!) {\n    registerApp(input: $input) {\n      id\n      clientId\n      name\n      redirectUris\n      scopes\n      clientSecret\n    }\n  }\n": types.RegisterAppDocument,
    "\n  query MyAuthorizedApps {\n    myAuthorizedApps {\n      appId\n      name\n      practiceName\n      scopes\n      authorizedAt\n    }\n  }\n": types.MyAuthorizedAppsDocument,
    "\n  mutation RevokeAppAuthorization($appId: ID!) {\n    revokeAppAuthorization(appId: $appId)\n  }\n": types.RevokeAppAuthorizationDocument,
    "\n  query PracticeApps($practiceId: ID!) {\n    practiceApps(practiceId: $practiceId) {\n      id\n      clientId\n      name\n      redirectUris\n      scopes\n      confidential\n      createdAt\n    }\n  }\n": types.PracticeAppsDocument,
    "\n  mutation UpdateApp($input: UpdateAppInput!) {\n    updateApp(input: $input) {\n      id\n      name\n      redirectUris\n      scopes\n    }\n  }\n": types.UpdateAppDocument,
    "\n  mutation DeleteApp($appId: ID!) {\n    deleteApp(appId: $appId)\n  }\n": types.DeleteAppDocument,
    "\n  fragment SignedInUser on User {\n    id\n    email\n    role\n    doctor {\n      id\n      name\n    }\n    patient {\n      id\n      name\n    }\n    staff {\n      id\n      name\n    }\n    adminOf {\n      id\n    }\n    mfaEnabled\n    mfaRequired\n  }\n": types.SignedInUserFragmentDoc,
    "\n  mutation Login($email: String!, $password: String!, $otp: String) {\n    login(email: $email, password: $password, otp: $otp) {\n      token\n      user {\n        ...SignedInUser\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      token\n      user {\n        ...SignedInUser\n      }\n    }\n  }\n": types.RegisterDocument,
    "\n  query DemoAccounts {\n    demoAccounts {\n      email\n      name\n      role\n      password\n    }\n  }\n": types.DemoAccountsDocument,
    "\n  fragment Availability on DoctorAvailability {\n    timeZone\n    weeklyHours {\n      weekday\n      startTime\n      endTime\n    }\n    daysOff\n  }\n": types.AvailabilityFragmentDoc,
    "\n  query MyAvailability($doctorId: ID!) {\n    doctorAvailability(doctorId: $doctorId) {\n      ...Availability\n    }\n  }\n": types.MyAvailabilityDocument,
    "\n  mutation SetWorkingHours($doctorId: ID!, $hours: [WorkingHoursInput!]!) {\n    setWorkingHours(doctorId: $doctorId, hours: $hours) {\n      ...Availability\n    }\n  }\n": types.SetWorkingHoursDocument,
    "\n  mutation AddDayOff($doctorId: ID!, $date: String!) {\n    addDayOff(doctorId: $doctorId, date: $date) {\n      ...Availability\n    }\n  }\n": types.AddDayOffDocument,
    "\n  mutation RemoveDayOff($doctorId: ID!, $date: String!) {\n    removeDayOff(doctorId: $doctorId, date: $date) {\n      ...Availability\n    }\n  }\n": types.RemoveDayOffDocument,
    "\n  query AdminPracticeDoctors {\n    me {\n      id\n      adminOf {\n        id\n        name\n        bookableWithoutHours\n        doctors {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AdminPracticeDoctorsDocument,
    "\n  mutation SetBookableWithoutHours($practiceId: ID!, $allowed: Boolean!) {\n    setPracticeBookableWithoutHours(practiceId: $practiceId, allowed: $allowed) {\n      id\n      bookableWithoutHours\n    }\n  }\n": types.SetBookableWithoutHoursDocument,
    "\n  fragment DoctorCard on Doctor {\n    id\n    name\n    specialty\n    timeZone\n    bookable\n  }\n": types.DoctorCardFragmentDoc,
    "\n  query Doctors {\n    doctors {\n      ...DoctorCard\n    }\n  }\n": types.DoctorsDocument,
    "\n  fragment MyAppointment on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    reason\n    confirmedAt\n    doctor {\n      id\n      name\n      specialty\n    }\n  }\n": types.MyAppointmentFragmentDoc,
    "\n  query MyAppointments {\n    me {\n      id\n      patient {\n        id\n        appointments {\n          ...MyAppointment\n        }\n      }\n    }\n  }\n": types.MyAppointmentsDocument,
    "\n  mutation BookAppointment($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      ...MyAppointment\n    }\n  }\n": types.BookAppointmentDocument,
    "\n  query DoctorAvailability($doctorId: ID!) {\n    doctorAvailability(doctorId: $doctorId) {\n      timeZone\n      weeklyHours {\n        weekday\n        startTime\n        endTime\n      }\n    }\n  }\n": types.DoctorAvailabilityDocument,
    "\n  query AvailableSlots($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $durationMinutes: Int) {\n    availableSlots(doctorId: $doctorId, from: $from, to: $to, durationMinutes: $durationMinutes)\n  }\n": types.AvailableSlotsDocument,
    "\n  mutation CancelMyAppointment($id: ID!) {\n    cancelAppointment(id: $id) {\n      ...MyAppointment\n    }\n  }\n": types.CancelMyAppointmentDocument,
    "\n  subscription MyAppointmentUpdated($after: String) {\n    myAppointmentUpdated(after: $after) {\n      cursor\n      change\n      appointment {\n        ...MyAppointment\n      }\n    }\n  }\n": types.MyAppointmentUpdatedDocument,
    "\n  mutation RescheduleAppointment($id: ID!, $startsAt: DateTimeISO!) {\n    rescheduleAppointment(id: $id, startsAt: $startsAt) {\n      id\n      startsAt\n      endsAt\n      status\n    }\n  }\n": types.RescheduleAppointmentDocument,
    "\n  mutation ConfirmMyAppointment($id: ID!) {\n    confirmAppointment(id: $id) {\n      ...MyAppointment\n    }\n  }\n": types.ConfirmMyAppointmentDocument,
    "\n  fragment VitalsReading on Vitals {\n    id\n    recordedAt\n    heartRate\n    systolic\n    diastolic\n    temperatureC\n    spo2Percent\n    respiratoryRate\n    weightKg\n  }\n": types.VitalsReadingFragmentDoc,
    "\n  subscription AppointmentUpdated($doctorId: ID!, $after: String) {\n    appointmentUpdated(doctorId: $doctorId, after: $after) {\n      cursor\n      change\n      appointment {\n        ...ScheduleItem\n        cancellationReason\n      }\n    }\n  }\n": types.AppointmentUpdatedDocument,
    "\n  subscription VitalsRecorded($doctorId: ID!, $after: String) {\n    vitalsRecorded(doctorId: $doctorId, after: $after) {\n      cursor\n      patient {\n        id\n        latestVitals {\n          ...VitalsReading\n        }\n      }\n      vitals {\n        ...VitalsReading\n      }\n    }\n  }\n": types.VitalsRecordedDocument,
    "\n  fragment UpdatedAppointment on Appointment {\n    ...ScheduleItem\n    cancellationReason\n  }\n": types.UpdatedAppointmentFragmentDoc,
    "\n  fragment PatientLatestVitals on Patient {\n    id\n    latestVitals {\n      ...VitalsReading\n    }\n  }\n": types.PatientLatestVitalsFragmentDoc,
    "\n  subscription PatientAdded($doctorId: ID!, $after: String) {\n    patientAdded(doctorId: $doctorId, after: $after) {\n      cursor\n      doctorId\n      firstVisit\n      patient {\n        ...PatientRow\n      }\n      appointment {\n        ...ScheduleItem\n      }\n    }\n  }\n": types.PatientAddedDocument,
    "\n  query PatientVitals($patientId: ID!) {\n    patientVitals(patientId: $patientId, first: 20) {\n      ...VitalsReading\n    }\n  }\n": types.PatientVitalsDocument,
    "\n  fragment MedicalRecordItem on MedicalRecord {\n    id\n    diagnosis\n    icd10Code\n    notes\n    createdAt\n    supersedesId\n    supersededById\n    doctor {\n      id\n      name\n    }\n  }\n": types.MedicalRecordItemFragmentDoc,
    "\n  query PatientMedicalRecords($patientId: ID!) {\n    patientMedicalRecords(patientId: $patientId, includeSuperseded: true) {\n      ...MedicalRecordItem\n    }\n  }\n": types.PatientMedicalRecordsDocument,
    "\n  mutation RecordVitals($patientId: ID!, $input: RecordVitalsInput!) {\n    recordVitals(patientId: $patientId, input: $input) {\n      ...VitalsReading\n    }\n  }\n": types.RecordVitalsDocument,
    "\n  mutation AddMedicalRecord($patientId: ID!, $input: AddMedicalRecordInput!) {\n    addMedicalRecord(patientId: $patientId, input: $input) {\n      ...MedicalRecordItem\n    }\n  }\n": types.AddMedicalRecordDocument,
    "\n  mutation CancelAppointment($id: ID!, $reason: String) {\n    cancelAppointment(id: $id, reason: $reason) {\n      id\n      status\n      cancellationReason\n      startsAt\n      endsAt\n    }\n  }\n": types.CancelAppointmentDocument,
    "\n  mutation CompleteAppointment($id: ID!) {\n    completeAppointment(id: $id) {\n      id\n      status\n    }\n  }\n": types.CompleteAppointmentDocument,
    "\n  fragment PatientRow on Patient {\n    id\n    name\n    dateOfBirth\n    appointments {\n      id\n      startsAt\n      endsAt\n      status\n      reason\n    }\n    latestVitals {\n      id\n      recordedAt\n      heartRate\n      systolic\n      diastolic\n      temperatureC\n      spo2Percent\n    }\n  }\n": types.PatientRowFragmentDoc,
    "\n  query DoctorPatients($doctorId: ID!, $first: Int, $after: String) {\n    doctorPatients(doctorId: $doctorId, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...PatientRow\n        }\n      }\n    }\n  }\n": types.DoctorPatientsDocument,
    "\n  fragment ScheduleItem on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    reason\n    confirmedAt\n    patient {\n      id\n      name\n    }\n  }\n": types.ScheduleItemFragmentDoc,
    "\n  query DoctorSchedule($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    doctorSchedule(doctorId: $doctorId, from: $from, to: $to) {\n      ...ScheduleItem\n    }\n  }\n": types.DoctorScheduleDocument,
    "\n  query DeskContext {\n    me {\n      id\n      staff {\n        id\n        admin\n        practice {\n          id\n          name\n          timeZone\n          doctors {\n            id\n            name\n            specialty\n            bookable\n          }\n        }\n      }\n    }\n  }\n": types.DeskContextDocument,
    "\n  fragment BoardItem on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    reason\n    checkedInAt\n    confirmedAt\n    doctor {\n      id\n      name\n    }\n    patient {\n      id\n      name\n    }\n  }\n": types.BoardItemFragmentDoc,
    "\n  query PracticeSchedule($practiceId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    practiceSchedule(practiceId: $practiceId, from: $from, to: $to) {\n      ...BoardItem\n    }\n  }\n": types.PracticeScheduleDocument,
    "\n  mutation CheckIn($id: ID!) {\n    checkInAppointment(id: $id) {\n      ...BoardItem\n    }\n  }\n": types.CheckInDocument,
    "\n  mutation UndoCheckIn($id: ID!) {\n    undoCheckIn(id: $id) {\n      ...BoardItem\n    }\n  }\n": types.UndoCheckInDocument,
    "\n  mutation MarkNoShow($id: ID!) {\n    markNoShow(id: $id) {\n      ...BoardItem\n    }\n  }\n": types.MarkNoShowDocument,
    "\n  query SearchPracticePatients($practiceId: ID!, $search: String, $first: Int) {\n    practicePatients(practiceId: $practiceId, search: $search, first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          dateOfBirth\n        }\n      }\n    }\n  }\n": types.SearchPracticePatientsDocument,
    "\n  mutation BookForPatient($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      ...BoardItem\n    }\n  }\n": types.BookForPatientDocument,
    "\n  subscription PracticeAppointmentUpdated($practiceId: ID!, $after: String) {\n    practiceAppointmentUpdated(practiceId: $practiceId, after: $after) {\n      cursor\n      change\n      appointment {\n        ...BoardItem\n      }\n    }\n  }\n": types.PracticeAppointmentUpdatedDocument,
    "\n  subscription PracticePatientAdded($practiceId: ID!, $after: String) {\n    practicePatientAdded(practiceId: $practiceId, after: $after) {\n      cursor\n      firstVisit\n      appointment {\n        ...BoardItem\n      }\n    }\n  }\n": types.PracticePatientAddedDocument,
    "\n  query AdminOf {\n    me {\n      id\n      adminOf {\n        id\n        name\n      }\n    }\n  }\n": types.AdminOfDocument,
    "\n  query PracticeMembers($id: ID!) {\n    practice(id: $id) {\n      id\n      name\n      members {\n        id\n        name\n        email\n        role\n        admin\n      }\n      pendingInvitations {\n        id\n        email\n        role\n        admin\n        expiresAt\n      }\n    }\n  }\n": types.PracticeMembersDocument,
    "\n  mutation CreateInvitation($input: InvitationInput!) {\n    createInvitation(input: $input) {\n      id\n      email\n      role\n      admin\n      expiresAt\n      code\n    }\n  }\n": types.CreateInvitationDocument,
    "\n  mutation RemoveMember($practiceId: ID!, $userId: ID!) {\n    removeMember(practiceId: $practiceId, userId: $userId)\n  }\n": types.RemoveMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n": types.RevokeInvitationDocument,
    "\n  query PracticeSecurityEvents($practiceId: ID!) {\n    practiceSecurityEvents(practiceId: $practiceId, first: 50) {\n      id\n      at\n      action\n      outcome\n      actorName\n      clientAddress\n      userAgent\n    }\n  }\n": types.PracticeSecurityEventsDocument,
    "\n  query NotificationPreferences {\n    notificationPreferences {\n      confirmations\n      reminders\n    }\n  }\n": types.NotificationPreferencesDocument,
    "\n  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      confirmations\n      reminders\n    }\n  }\n": types.UpdateNotificationPreferencesDocument,
    "\n  mutation RegisterPushSubscription($input: PushSubscriptionInput!) {\n    registerPushSubscription(input: $input)\n  }\n": types.RegisterPushSubscriptionDocument,
    "\n  mutation UnregisterPushSubscription($endpoint: String!) {\n    unregisterPushSubscription(endpoint: $endpoint)\n  }\n": types.UnregisterPushSubscriptionDocument,
    "\n  query MessageSettings {\n    me {\n      id\n      phone\n      notificationChannels\n      smsConsentAt\n    }\n  }\n": types.MessageSettingsDocument,
    "\n  mutation UpdateNotificationSettings($input: NotificationSettingsInput!) {\n    updateNotificationSettings(input: $input) {\n      id\n      phone\n      notificationChannels\n      smsConsentAt\n    }\n  }\n": types.UpdateNotificationSettingsDocument,
    "\n  fragment WebhookEndpointFields on WebhookEndpoint {\n    id\n    url\n    events\n    createdAt\n    disabledAt\n    disabledReason\n    includeReason\n  }\n": types.WebhookEndpointFieldsFragmentDoc,
    "\n  query WebhookEndpoints($practiceId: ID!) {\n    webhookEndpoints(practiceId: $practiceId) {\n      ...WebhookEndpointFields\n    }\n  }\n": types.WebhookEndpointsDocument,
    "\n  mutation CreateWebhookEndpoint($input: WebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) {\n      ...WebhookEndpointFields\n      secret\n    }\n  }\n": types.CreateWebhookEndpointDocument,
    "\n  mutation DeleteWebhookEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n": types.DeleteWebhookEndpointDocument,
    "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      ...WebhookEndpointFields\n      secret\n    }\n  }\n": types.RotateWebhookSecretDocument,
    "\n  query WebhookDeliveries($endpointId: ID!, $first: Int) {\n    webhookDeliveries(endpointId: $endpointId, first: $first) {\n      id\n      eventId\n      eventType\n      attempts\n      status\n      lastStatusCode\n      lastError\n      nextAttemptAt\n      createdAt\n    }\n  }\n": types.WebhookDeliveriesDocument,
    "\n  mutation RedeliverWebhook($deliveryId: ID!) {\n    redeliverWebhook(deliveryId: $deliveryId) {\n      id\n      status\n    }\n  }\n": types.RedeliverWebhookDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogoutEverywhere {\n    logoutEverywhere\n  }\n"): (typeof documents)["\n  mutation LogoutEverywhere {\n    logoutEverywhere\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshToken {\n    refreshToken {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshToken {\n    refreshToken {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySessions {\n    mySessions {\n      id\n      createdAt\n      lastSeenAt\n      userAgent\n      current\n    }\n  }\n"): (typeof documents)["\n  query MySessions {\n    mySessions {\n      id\n      createdAt\n      lastSeenAt\n      userAgent\n      current\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyAccessLog($first: Int, $after: String) {\n    myAccessLog(first: $first, after: $after) {\n      at\n      actorName\n      actorRole\n      action\n      outcome\n      count\n      cursor\n    }\n  }\n"): (typeof documents)["\n  query MyAccessLog($first: Int, $after: String) {\n    myAccessLog(first: $first, after: $after) {\n      at\n      actorName\n      actorRole\n      action\n      outcome\n      count\n      cursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyTwoStep {\n    me {\n      id\n      mfaEnabled\n      mfaRequired\n    }\n  }\n"): (typeof documents)["\n  query MyTwoStep {\n    me {\n      id\n      mfaEnabled\n      mfaRequired\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartMfaEnrollment {\n    startMfaEnrollment {\n      secret\n      otpauthUrl\n      recoveryCodes\n    }\n  }\n"): (typeof documents)["\n  mutation StartMfaEnrollment {\n    startMfaEnrollment {\n      secret\n      otpauthUrl\n      recoveryCodes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmMfaEnrollment($code: String!) {\n    confirmMfaEnrollment(code: $code)\n  }\n"): (typeof documents)["\n  mutation ConfirmMfaEnrollment($code: String!) {\n    confirmMfaEnrollment(code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableMfa($password: String!, $otp: String!) {\n    disableMfa(password: $password, otp: $otp)\n  }\n"): (typeof documents)["\n  mutation DisableMfa($password: String!, $otp: String!) {\n    disableMfa(password: $password, otp: $otp)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($code: String!) {\n    acceptInvitation(code: $code)\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($code: String!) {\n    acceptInvitation(code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsContext {\n    me {\n      id\n      staff {\n        id\n        practice {\n          id\n          name\n          timeZone\n        }\n      }\n      adminOf {\n        id\n        name\n        timeZone\n      }\n    }\n  }\n"): (typeof documents)["\n  query AnalyticsContext {\n    me {\n      id\n      staff {\n        id\n        practice {\n          id\n          name\n          timeZone\n        }\n      }\n      adminOf {\n        id\n        name\n        timeZone\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PeriodFigures on PracticeAnalytics {\n    appointments\n    booked\n    completed\n    cancelled\n    noShows\n    lateCancelled\n    noShowRate\n    lateCancellationRate\n    utilization\n    medianLeadTimeDays\n    thirdNextAvailableDays\n    newPatientShare\n    selfBookedShare\n    confirmedShare\n    medianCycleMinutes\n  }\n"): (typeof documents)["\n  fragment PeriodFigures on PracticeAnalytics {\n    appointments\n    booked\n    completed\n    cancelled\n    noShows\n    lateCancelled\n    noShowRate\n    lateCancellationRate\n    utilization\n    medianLeadTimeDays\n    thirdNextAvailableDays\n    newPatientShare\n    selfBookedShare\n    confirmedShare\n    medianCycleMinutes\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PracticeAnalytics($practiceId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    practiceAnalytics(practiceId: $practiceId, from: $from, to: $to) {\n      ...PeriodFigures\n      leadTimes {\n        fromDays\n        toDays\n        booked\n      }\n      byDay {\n        date\n        appointments\n        completed\n        cancelled\n        noShows\n      }\n      byDoctor {\n        doctor {\n          id\n          name\n        }\n        appointments\n        noShowRate\n        utilization\n      }\n      previous {\n        ...PeriodFigures\n      }\n    }\n  }\n"): (typeof documents)["\n  query PracticeAnalytics($practiceId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    practiceAnalytics(practiceId: $practiceId, from: $from, to: $to) {\n      ...PeriodFigures\n      leadTimes {\n        fromDays\n        toDays\n        booked\n      }\n      byDay {\n        date\n        appointments\n        completed\n        cancelled\n        noShows\n      }\n      byDoctor {\n        doctor {\n          id\n          name\n        }\n        appointments\n        noShowRate\n        utilization\n      }\n      previous {\n        ...PeriodFigures\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PracticeToday($practiceId: ID!) {\n    practiceToday(practiceId: $practiceId) {\n      date\n      booked\n      checkedIn\n      completed\n      noShows\n      cancelled\n      openSlots\n    }\n  }\n"): (typeof documents)["\n  subscription PracticeToday($practiceId: ID!) {\n    practiceToday(practiceId: $practiceId) {\n      date\n      booked\n      checkedIn\n      completed\n      noShows\n      cancelled\n      openSlots\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterApp($input: RegisterAppInput!) {\n    registerApp(input: $input) {\n      id\n      clientId\n      name\n      redirectUris\n      scopes\n      clientSecret\n    }\n  }\n"): (typeof documents)["\n  mutation RegisterApp($input: RegisterAppInput!) {\n    registerApp(input: $input) {\n      id\n      clientId\n      name\n      redirectUris\n      scopes\n      clientSecret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyAuthorizedApps {\n    myAuthorizedApps {\n      appId\n      name\n      practiceName\n      scopes\n      authorizedAt\n    }\n  }\n"): (typeof documents)["\n  query MyAuthorizedApps {\n    myAuthorizedApps {\n      appId\n      name\n      practiceName\n      scopes\n      authorizedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeAppAuthorization($appId: ID!) {\n    revokeAppAuthorization(appId: $appId)\n  }\n"): (typeof documents)["\n  mutation RevokeAppAuthorization($appId: ID!) {\n    revokeAppAuthorization(appId: $appId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PracticeApps($practiceId: ID!) {\n    practiceApps(practiceId: $practiceId) {\n      id\n      clientId\n      name\n      redirectUris\n      scopes\n      confidential\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query PracticeApps($practiceId: ID!) {\n    practiceApps(practiceId: $practiceId) {\n      id\n      clientId\n      name\n      redirectUris\n      scopes\n      confidential\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateApp($input: UpdateAppInput!) {\n    updateApp(input: $input) {\n      id\n      name\n      redirectUris\n      scopes\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateApp($input: UpdateAppInput!) {\n    updateApp(input: $input) {\n      id\n      name\n      redirectUris\n      scopes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteApp($appId: ID!) {\n    deleteApp(appId: $appId)\n  }\n"): (typeof documents)["\n  mutation DeleteApp($appId: ID!) {\n    deleteApp(appId: $appId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SignedInUser on User {\n    id\n    email\n    role\n    doctor {\n      id\n      name\n    }\n    patient {\n      id\n      name\n    }\n    staff {\n      id\n      name\n    }\n    adminOf {\n      id\n    }\n    mfaEnabled\n    mfaRequired\n  }\n"): (typeof documents)["\n  fragment SignedInUser on User {\n    id\n    email\n    role\n    doctor {\n      id\n      name\n    }\n    patient {\n      id\n      name\n    }\n    staff {\n      id\n      name\n    }\n    adminOf {\n      id\n    }\n    mfaEnabled\n    mfaRequired\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!, $otp: String) {\n    login(email: $email, password: $password, otp: $otp) {\n      token\n      user {\n        ...SignedInUser\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!, $otp: String) {\n    login(email: $email, password: $password, otp: $otp) {\n      token\n      user {\n        ...SignedInUser\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      token\n      user {\n        ...SignedInUser\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      token\n      user {\n        ...SignedInUser\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DemoAccounts {\n    demoAccounts {\n      email\n      name\n      role\n      password\n    }\n  }\n"): (typeof documents)["\n  query DemoAccounts {\n    demoAccounts {\n      email\n      name\n      role\n      password\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Availability on DoctorAvailability {\n    timeZone\n    weeklyHours {\n      weekday\n      startTime\n      endTime\n    }\n    daysOff\n  }\n"): (typeof documents)["\n  fragment Availability on DoctorAvailability {\n    timeZone\n    weeklyHours {\n      weekday\n      startTime\n      endTime\n    }\n    daysOff\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyAvailability($doctorId: ID!) {\n    doctorAvailability(doctorId: $doctorId) {\n      ...Availability\n    }\n  }\n"): (typeof documents)["\n  query MyAvailability($doctorId: ID!) {\n    doctorAvailability(doctorId: $doctorId) {\n      ...Availability\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetWorkingHours($doctorId: ID!, $hours: [WorkingHoursInput!]!) {\n    setWorkingHours(doctorId: $doctorId, hours: $hours) {\n      ...Availability\n    }\n  }\n"): (typeof documents)["\n  mutation SetWorkingHours($doctorId: ID!, $hours: [WorkingHoursInput!]!) {\n    setWorkingHours(doctorId: $doctorId, hours: $hours) {\n      ...Availability\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddDayOff($doctorId: ID!, $date: String!) {\n    addDayOff(doctorId: $doctorId, date: $date) {\n      ...Availability\n    }\n  }\n"): (typeof documents)["\n  mutation AddDayOff($doctorId: ID!, $date: String!) {\n    addDayOff(doctorId: $doctorId, date: $date) {\n      ...Availability\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveDayOff($doctorId: ID!, $date: String!) {\n    removeDayOff(doctorId: $doctorId, date: $date) {\n      ...Availability\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveDayOff($doctorId: ID!, $date: String!) {\n    removeDayOff(doctorId: $doctorId, date: $date) {\n      ...Availability\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminPracticeDoctors {\n    me {\n      id\n      adminOf {\n        id\n        name\n        bookableWithoutHours\n        doctors {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminPracticeDoctors {\n    me {\n      id\n      adminOf {\n        id\n        name\n        bookableWithoutHours\n        doctors {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetBookableWithoutHours($practiceId: ID!, $allowed: Boolean!) {\n    setPracticeBookableWithoutHours(practiceId: $practiceId, allowed: $allowed) {\n      id\n      bookableWithoutHours\n    }\n  }\n"): (typeof documents)["\n  mutation SetBookableWithoutHours($practiceId: ID!, $allowed: Boolean!) {\n    setPracticeBookableWithoutHours(practiceId: $practiceId, allowed: $allowed) {\n      id\n      bookableWithoutHours\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DoctorCard on Doctor {\n    id\n    name\n    specialty\n    timeZone\n    bookable\n  }\n"): (typeof documents)["\n  fragment DoctorCard on Doctor {\n    id\n    name\n    specialty\n    timeZone\n    bookable\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Doctors {\n    doctors {\n      ...DoctorCard\n    }\n  }\n"): (typeof documents)["\n  query Doctors {\n    doctors {\n      ...DoctorCard\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MyAppointment on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    reason\n    confirmedAt\n    doctor {\n      id\n      name\n      specialty\n    }\n  }\n"): (typeof documents)["\n  fragment MyAppointment on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    reason\n    confirmedAt\n    doctor {\n      id\n      name\n      specialty\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyAppointments {\n    me {\n      id\n      patient {\n        id\n        appointments {\n          ...MyAppointment\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyAppointments {\n    me {\n      id\n      patient {\n        id\n        appointments {\n          ...MyAppointment\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BookAppointment($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      ...MyAppointment\n    }\n  }\n"): (typeof documents)["\n  mutation BookAppointment($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      ...MyAppointment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DoctorAvailability($doctorId: ID!) {\n    doctorAvailability(doctorId: $doctorId) {\n      timeZone\n      weeklyHours {\n        weekday\n        startTime\n        endTime\n      }\n    }\n  }\n"): (typeof documents)["\n  query DoctorAvailability($doctorId: ID!) {\n    doctorAvailability(doctorId: $doctorId) {\n      timeZone\n      weeklyHours {\n        weekday\n        startTime\n        endTime\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AvailableSlots($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $durationMinutes: Int) {\n    availableSlots(doctorId: $doctorId, from: $from, to: $to, durationMinutes: $durationMinutes)\n  }\n"): (typeof documents)["\n  query AvailableSlots($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $durationMinutes: Int) {\n    availableSlots(doctorId: $doctorId, from: $from, to: $to, durationMinutes: $durationMinutes)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelMyAppointment($id: ID!) {\n    cancelAppointment(id: $id) {\n      ...MyAppointment\n    }\n  }\n"): (typeof documents)["\n  mutation CancelMyAppointment($id: ID!) {\n    cancelAppointment(id: $id) {\n      ...MyAppointment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MyAppointmentUpdated($after: String) {\n    myAppointmentUpdated(after: $after) {\n      cursor\n      change\n      appointment {\n        ...MyAppointment\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription MyAppointmentUpdated($after: String) {\n    myAppointmentUpdated(after: $after) {\n      cursor\n      change\n      appointment {\n        ...MyAppointment\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RescheduleAppointment($id: ID!, $startsAt: DateTimeISO!) {\n    rescheduleAppointment(id: $id, startsAt: $startsAt) {\n      id\n      startsAt\n      endsAt\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RescheduleAppointment($id: ID!, $startsAt: DateTimeISO!) {\n    rescheduleAppointment(id: $id, startsAt: $startsAt) {\n      id\n      startsAt\n      endsAt\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmMyAppointment($id: ID!) {\n    confirmAppointment(id: $id) {\n      ...MyAppointment\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmMyAppointment($id: ID!) {\n    confirmAppointment(id: $id) {\n      ...MyAppointment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VitalsReading on Vitals {\n    id\n    recordedAt\n    heartRate\n    systolic\n    diastolic\n    temperatureC\n    spo2Percent\n    respiratoryRate\n    weightKg\n  }\n"): (typeof documents)["\n  fragment VitalsReading on Vitals {\n    id\n    recordedAt\n    heartRate\n    systolic\n    diastolic\n    temperatureC\n    spo2Percent\n    respiratoryRate\n    weightKg\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AppointmentUpdated($doctorId: ID!, $after: String) {\n    appointmentUpdated(doctorId: $doctorId, after: $after) {\n      cursor\n      change\n      appointment {\n        ...ScheduleItem\n        cancellationReason\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription AppointmentUpdated($doctorId: ID!, $after: String) {\n    appointmentUpdated(doctorId: $doctorId, after: $after) {\n      cursor\n      change\n      appointment {\n        ...ScheduleItem\n        cancellationReason\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription VitalsRecorded($doctorId: ID!, $after: String) {\n    vitalsRecorded(doctorId: $doctorId, after: $after) {\n      cursor\n      patient {\n        id\n        latestVitals {\n          ...VitalsReading\n        }\n      }\n      vitals {\n        ...VitalsReading\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription VitalsRecorded($doctorId: ID!, $after: String) {\n    vitalsRecorded(doctorId: $doctorId, after: $after) {\n      cursor\n      patient {\n        id\n        latestVitals {\n          ...VitalsReading\n        }\n      }\n      vitals {\n        ...VitalsReading\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UpdatedAppointment on Appointment {\n    ...ScheduleItem\n    cancellationReason\n  }\n"): (typeof documents)["\n  fragment UpdatedAppointment on Appointment {\n    ...ScheduleItem\n    cancellationReason\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PatientLatestVitals on Patient {\n    id\n    latestVitals {\n      ...VitalsReading\n    }\n  }\n"): (typeof documents)["\n  fragment PatientLatestVitals on Patient {\n    id\n    latestVitals {\n      ...VitalsReading\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PatientAdded($doctorId: ID!, $after: String) {\n    patientAdded(doctorId: $doctorId, after: $after) {\n      cursor\n      doctorId\n      firstVisit\n      patient {\n        ...PatientRow\n      }\n      appointment {\n        ...ScheduleItem\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription PatientAdded($doctorId: ID!, $after: String) {\n    patientAdded(doctorId: $doctorId, after: $after) {\n      cursor\n      doctorId\n      firstVisit\n      patient {\n        ...PatientRow\n      }\n      appointment {\n        ...ScheduleItem\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PatientVitals($patientId: ID!) {\n    patientVitals(patientId: $patientId, first: 20) {\n      ...VitalsReading\n    }\n  }\n"): (typeof documents)["\n  query PatientVitals($patientId: ID!) {\n    patientVitals(patientId: $patientId, first: 20) {\n      ...VitalsReading\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MedicalRecordItem on MedicalRecord {\n    id\n    diagnosis\n    icd10Code\n    notes\n    createdAt\n    supersedesId\n    supersededById\n    doctor {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment MedicalRecordItem on MedicalRecord {\n    id\n    diagnosis\n    icd10Code\n    notes\n    createdAt\n    supersedesId\n    supersededById\n    doctor {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PatientMedicalRecords($patientId: ID!) {\n    patientMedicalRecords(patientId: $patientId, includeSuperseded: true) {\n      ...MedicalRecordItem\n    }\n  }\n"): (typeof documents)["\n  query PatientMedicalRecords($patientId: ID!) {\n    patientMedicalRecords(patientId: $patientId, includeSuperseded: true) {\n      ...MedicalRecordItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordVitals($patientId: ID!, $input: RecordVitalsInput!) {\n    recordVitals(patientId: $patientId, input: $input) {\n      ...VitalsReading\n    }\n  }\n"): (typeof documents)["\n  mutation RecordVitals($patientId: ID!, $input: RecordVitalsInput!) {\n    recordVitals(patientId: $patientId, input: $input) {\n      ...VitalsReading\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddMedicalRecord($patientId: ID!, $input: AddMedicalRecordInput!) {\n    addMedicalRecord(patientId: $patientId, input: $input) {\n      ...MedicalRecordItem\n    }\n  }\n"): (typeof documents)["\n  mutation AddMedicalRecord($patientId: ID!, $input: AddMedicalRecordInput!) {\n    addMedicalRecord(patientId: $patientId, input: $input) {\n      ...MedicalRecordItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelAppointment($id: ID!, $reason: String) {\n    cancelAppointment(id: $id, reason: $reason) {\n      id\n      status\n      cancellationReason\n      startsAt\n      endsAt\n    }\n  }\n"): (typeof documents)["\n  mutation CancelAppointment($id: ID!, $reason: String) {\n    cancelAppointment(id: $id, reason: $reason) {\n      id\n      status\n      cancellationReason\n      startsAt\n      endsAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteAppointment($id: ID!) {\n    completeAppointment(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteAppointment($id: ID!) {\n    completeAppointment(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PatientRow on Patient {\n    id\n    name\n    dateOfBirth\n    appointments {\n      id\n      startsAt\n      endsAt\n      status\n      reason\n    }\n    latestVitals {\n      id\n      recordedAt\n      heartRate\n      systolic\n      diastolic\n      temperatureC\n      spo2Percent\n    }\n  }\n"): (typeof documents)["\n  fragment PatientRow on Patient {\n    id\n    name\n    dateOfBirth\n    appointments {\n      id\n      startsAt\n      endsAt\n      status\n      reason\n    }\n    latestVitals {\n      id\n      recordedAt\n      heartRate\n      systolic\n      diastolic\n      temperatureC\n      spo2Percent\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DoctorPatients($doctorId: ID!, $first: Int, $after: String) {\n    doctorPatients(doctorId: $doctorId, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...PatientRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DoctorPatients($doctorId: ID!, $first: Int, $after: String) {\n    doctorPatients(doctorId: $doctorId, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...PatientRow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ScheduleItem on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    reason\n    confirmedAt\n    patient {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment ScheduleItem on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    reason\n    confirmedAt\n    patient {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DoctorSchedule($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    doctorSchedule(doctorId: $doctorId, from: $from, to: $to) {\n      ...ScheduleItem\n    }\n  }\n"): (typeof documents)["\n  query DoctorSchedule($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    doctorSchedule(doctorId: $doctorId, from: $from, to: $to) {\n      ...ScheduleItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskContext {\n    me {\n      id\n      staff {\n        id\n        admin\n        practice {\n          id\n          name\n          timeZone\n          doctors {\n            id\n            name\n            specialty\n            bookable\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DeskContext {\n    me {\n      id\n      staff {\n        id\n        admin\n        practice {\n          id\n          name\n          timeZone\n          doctors {\n            id\n            name\n            specialty\n            bookable\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BoardItem on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    reason\n    checkedInAt\n    confirmedAt\n    doctor {\n      id\n      name\n    }\n    patient {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment BoardItem on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    reason\n    checkedInAt\n    confirmedAt\n    doctor {\n      id\n      name\n    }\n    patient {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PracticeSchedule($practiceId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    practiceSchedule(practiceId: $practiceId, from: $from, to: $to) {\n      ...BoardItem\n    }\n  }\n"): (typeof documents)["\n  query PracticeSchedule($practiceId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    practiceSchedule(practiceId: $practiceId, from: $from, to: $to) {\n      ...BoardItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CheckIn($id: ID!) {\n    checkInAppointment(id: $id) {\n      ...BoardItem\n    }\n  }\n"): (typeof documents)["\n  mutation CheckIn($id: ID!) {\n    checkInAppointment(id: $id) {\n      ...BoardItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UndoCheckIn($id: ID!) {\n    undoCheckIn(id: $id) {\n      ...BoardItem\n    }\n  }\n"): (typeof documents)["\n  mutation UndoCheckIn($id: ID!) {\n    undoCheckIn(id: $id) {\n      ...BoardItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkNoShow($id: ID!) {\n    markNoShow(id: $id) {\n      ...BoardItem\n    }\n  }\n"): (typeof documents)["\n  mutation MarkNoShow($id: ID!) {\n    markNoShow(id: $id) {\n      ...BoardItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchPracticePatients($practiceId: ID!, $search: String, $first: Int) {\n    practicePatients(practiceId: $practiceId, search: $search, first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          dateOfBirth\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SearchPracticePatients($practiceId: ID!, $search: String, $first: Int) {\n    practicePatients(practiceId: $practiceId, search: $search, first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          dateOfBirth\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BookForPatient($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      ...BoardItem\n    }\n  }\n"): (typeof documents)["\n  mutation BookForPatient($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      ...BoardItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PracticeAppointmentUpdated($practiceId: ID!, $after: String) {\n    practiceAppointmentUpdated(practiceId: $practiceId, after: $after) {\n      cursor\n      change\n      appointment {\n        ...BoardItem\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription PracticeAppointmentUpdated($practiceId: ID!, $after: String) {\n    practiceAppointmentUpdated(practiceId: $practiceId, after: $after) {\n      cursor\n      change\n      appointment {\n        ...BoardItem\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PracticePatientAdded($practiceId: ID!, $after: String) {\n    practicePatientAdded(practiceId: $practiceId, after: $after) {\n      cursor\n      firstVisit\n      appointment {\n        ...BoardItem\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription PracticePatientAdded($practiceId: ID!, $after: String) {\n    practicePatientAdded(practiceId: $practiceId, after: $after) {\n      cursor\n      firstVisit\n      appointment {\n        ...BoardItem\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminOf {\n    me {\n      id\n      adminOf {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminOf {\n    me {\n      id\n      adminOf {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PracticeMembers($id: ID!) {\n    practice(id: $id) {\n      id\n      name\n      members {\n        id\n        name\n        email\n        role\n        admin\n      }\n      pendingInvitations {\n        id\n        email\n        role\n        admin\n        expiresAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query PracticeMembers($id: ID!) {\n    practice(id: $id) {\n      id\n      name\n      members {\n        id\n        name\n        email\n        role\n        admin\n      }\n      pendingInvitations {\n        id\n        email\n        role\n        admin\n        expiresAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateInvitation($input: InvitationInput!) {\n    createInvitation(input: $input) {\n      id\n      email\n      role\n      admin\n      expiresAt\n      code\n    }\n  }\n"): (typeof documents)["\n  mutation CreateInvitation($input: InvitationInput!) {\n    createInvitation(input: $input) {\n      id\n      email\n      role\n      admin\n      expiresAt\n      code\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($practiceId: ID!, $userId: ID!) {\n    removeMember(practiceId: $practiceId, userId: $userId)\n  }\n"): (typeof documents)["\n  mutation RemoveMember($practiceId: ID!, $userId: ID!) {\n    removeMember(practiceId: $practiceId, userId: $userId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PracticeSecurityEvents($practiceId: ID!) {\n    practiceSecurityEvents(practiceId: $practiceId, first: 50) {\n      id\n      at\n      action\n      outcome\n      actorName\n      clientAddress\n      userAgent\n    }\n  }\n"): (typeof documents)["\n  query PracticeSecurityEvents($practiceId: ID!) {\n    practiceSecurityEvents(practiceId: $practiceId, first: 50) {\n      id\n      at\n      action\n      outcome\n      actorName\n      clientAddress\n      userAgent\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotificationPreferences {\n    notificationPreferences {\n      confirmations\n      reminders\n    }\n  }\n"): (typeof documents)["\n  query NotificationPreferences {\n    notificationPreferences {\n      confirmations\n      reminders\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      confirmations\n      reminders\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      confirmations\n      reminders\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterPushSubscription($input: PushSubscriptionInput!) {\n    registerPushSubscription(input: $input)\n  }\n"): (typeof documents)["\n  mutation RegisterPushSubscription($input: PushSubscriptionInput!) {\n    registerPushSubscription(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnregisterPushSubscription($endpoint: String!) {\n    unregisterPushSubscription(endpoint: $endpoint)\n  }\n"): (typeof documents)["\n  mutation UnregisterPushSubscription($endpoint: String!) {\n    unregisterPushSubscription(endpoint: $endpoint)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MessageSettings {\n    me {\n      id\n      phone\n      notificationChannels\n      smsConsentAt\n    }\n  }\n"): (typeof documents)["\n  query MessageSettings {\n    me {\n      id\n      phone\n      notificationChannels\n      smsConsentAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateNotificationSettings($input: NotificationSettingsInput!) {\n    updateNotificationSettings(input: $input) {\n      id\n      phone\n      notificationChannels\n      smsConsentAt\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateNotificationSettings($input: NotificationSettingsInput!) {\n    updateNotificationSettings(input: $input) {\n      id\n      phone\n      notificationChannels\n      smsConsentAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WebhookEndpointFields on WebhookEndpoint {\n    id\n    url\n    events\n    createdAt\n    disabledAt\n    disabledReason\n    includeReason\n  }\n"): (typeof documents)["\n  fragment WebhookEndpointFields on WebhookEndpoint {\n    id\n    url\n    events\n    createdAt\n    disabledAt\n    disabledReason\n    includeReason\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookEndpoints($practiceId: ID!) {\n    webhookEndpoints(practiceId: $practiceId) {\n      ...WebhookEndpointFields\n    }\n  }\n"): (typeof documents)["\n  query WebhookEndpoints($practiceId: ID!) {\n    webhookEndpoints(practiceId: $practiceId) {\n      ...WebhookEndpointFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWebhookEndpoint($input: WebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) {\n      ...WebhookEndpointFields\n      secret\n    }\n  }\n"): (typeof documents)["\n  mutation CreateWebhookEndpoint($input: WebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) {\n      ...WebhookEndpointFields\n      secret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteWebhookEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteWebhookEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      ...WebhookEndpointFields\n      secret\n    }\n  }\n"): (typeof documents)["\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      ...WebhookEndpointFields\n      secret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookDeliveries($endpointId: ID!, $first: Int) {\n    webhookDeliveries(endpointId: $endpointId, first: $first) {\n      id\n      eventId\n      eventType\n      attempts\n      status\n      lastStatusCode\n      lastError\n      nextAttemptAt\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query WebhookDeliveries($endpointId: ID!, $first: Int) {\n    webhookDeliveries(endpointId: $endpointId, first: $first) {\n      id\n      eventId\n      eventType\n      attempts\n      status\n      lastStatusCode\n      lastError\n      nextAttemptAt\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedeliverWebhook($deliveryId: ID!) {\n    redeliverWebhook(deliveryId: $deliveryId) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RedeliverWebhook($deliveryId: ID!) {\n    redeliverWebhook(deliveryId: $deliveryId) {\n      id\n      status\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;